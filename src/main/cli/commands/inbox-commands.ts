import { parseArgs } from 'node:util';
import { ErrorCode, type AppError } from '../../../shared/errors';
import { fieldErrorsOf } from '../../../shared/field-errors';
import { defaultInboxSettings, inboxCliNames, inboxLabels, inboxOfCliName, inboxSettingsSchema, type InboxField, type InboxId, type InboxRunSummary } from '../../../shared/inbox';
import { mailProtocolFacts, type PasswordChange } from '../../../shared/mail-server';
import { mailboxNames } from '../../../shared/mailboxes';
import { refusedWithoutAdmin } from '../admin-gate';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';
import { integrationIdOfSource } from '../../inbox/retrieval/retrieval-source';
import { readSecret } from '../read-secret';
import { retrieveIntegrationCommand } from './integration-retrieve-command';

function wrongInbox(name: string | undefined): AppError {
  return {
    code: ErrorCode.InvalidInput,
    message: `${name ? `“${name}” is not an inbox.` : 'Name the inbox.'} Use ${Object.values(inboxCliNames).join(' or ')}.`,
  };
}

function inboxOf(context: CliContext, name: string | undefined): InboxId | number {
  const inbox = name === undefined ? null : inboxOfCliName(name);
  return inbox ?? reportFailure(context, wrongInbox(name));
}

/**
 * `mail-settings configure lead|service-desk --host H [--port P] [--security tls|starttls|none] --user U
 *  [--password-stdin] [--record-type T] [--auth password|oauth-office365|oauth-google] [--allow-insecure-auth]
 *  [--shared-mailbox ADDRESS] [--folder NAME] [--check-every MINUTES] [--keep-on-server on|off]`
 * As the dialog's Save: the password from standard input only (never the command line: shell history, ps),
 * a kept password only for the server, port, user and method it was saved for. With --shared-mailbox (Office
 * 365 only) the inbox reads that shared address, signed in as the member named by --user. --folder names the
 * folder emptied when a rule files the mail elsewhere (default INBOX; kept as it was when not given).
 * Once an administrator exists, administrators only (issue 14); before, a script setting up a fresh
 * installation runs as it always did.
 */
export async function configureInboxCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      security: { type: 'string' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'record-type': { type: 'string' },
      auth: { type: 'string', default: 'password' },
      'allow-insecure-auth': { type: 'boolean', default: false },
      'shared-mailbox': { type: 'string' },
      folder: { type: 'string' },
      'check-every': { type: 'string' },
      'keep-on-server': { type: 'string' },
    },
  });
  const inbox = inboxOf(context, positionals[0]);
  if (typeof inbox === 'number') return inbox;
  const defaults = defaultInboxSettings(inbox);
  const security = values.security ?? defaults.security;
  const { ports } = mailProtocolFacts.imap;
  return withRuntime(context, async ({ services }) => {
    const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'configure');
    if (refused !== null) return refused;
    const current = await services.inbox.get(inbox);
    if (!current.ok) return reportFailure(context, current.error);
    const parsed = inboxSettingsSchema.safeParse({
      serverName: values.host ?? '',
      // The port follows SSL as in the dialog: 993 with SSL/TLS, 143 otherwise (RFC 8314, RFC 3501).
      port: values.port ?? (security === 'tls' ? ports.tls : ports.starttls),
      security,
      userName: values.user ?? '',
      authMethod: values.auth,
      allowInsecureAuth: values['allow-insecure-auth'],
      sharedMailbox: values['shared-mailbox'],
      recordType: values['record-type'] ?? current.value.settings?.recordType ?? defaults.recordType,
      folder: values.folder ?? current.value.settings?.folder,
      // Kept as they were when not given, as --folder: a new server does not change how often or how.
      checkEveryMinutes: values['check-every'] === undefined ? current.value.settings?.checkEveryMinutes : Number(values['check-every']),
      keepOnServer: onOrOff(values['keep-on-server']) ?? current.value.settings?.keepOnServer,
    });
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      const [field, message] = Object.entries(fieldErrors)[0] ?? ['form', 'Invalid settings.'];
      const label = inboxLabels[field as InboxField] ?? field;
      return reportFailure(context, { code: ErrorCode.InvalidInput, message: `${label}: ${message}`, fieldErrors });
    }
    let password: PasswordChange = { kind: 'keep' };
    if (values['password-stdin']) {
      // Typed on a terminal: prompted on stderr with echo off. Piped: read whole.
      const value = await readSecret('Password: ');
      context.secrets.remember(value);
      if (!value) return reportFailure(context, { code: ErrorCode.InvalidInput, message: 'No password arrived on standard input.' });
      password = { kind: 'set', value };
    }
    const result = await services.inbox.save(inbox, parsed.data, password);
    if (!result.ok && result.error.code === ErrorCode.PasswordNeededForNewServer) {
      return reportFailure(context, { ...result.error, fix: 'Pass the password for this server on standard input with --password-stdin.' });
    }
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) {
      printJson(context, { ok: true, inbox: result.value });
    } else {
      const shared = parsed.data.sharedMailbox === undefined ? '' : ` It reads the shared mailbox ${parsed.data.sharedMailbox}: sign in as ${parsed.data.userName} (a member with Full Access) with mail-settings sign-in ${inboxCliNames[inbox]}.`;
      context.out(`${mailboxNames[inbox]} saved (${parsed.data.serverName}:${parsed.data.port}, records of type “${parsed.data.recordType}”).${result.value.passwordStored ? ' The password is in the keychain.' : ''}${shared}\n`);
      for (const warning of result.value.warnings) context.err(`Warning: ${warning.message}${warning.fix ? `\n${warning.fix}` : ''}\n`);
    }
    return 0;
  });
}

/** `--keep-on-server on|off`; anything else is left for the schema to refuse (it wants a boolean). */
function onOrOff(value: string | undefined): boolean | string | undefined {
  if (value === 'on') return true;
  if (value === 'off') return false;
  return value;
}

/** `mail-settings test-connection lead|service-desk [--json]`: exit 0 when the server accepted the sign-in. */
export async function testInboxConnectionCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const inbox = inboxOf(context, positionals[0]);
  if (typeof inbox === 'number') return inbox;
  return withRuntime(context, async ({ services }) => {
    const view = await services.inbox.get(inbox);
    if (!view.ok) return reportFailure(context, view.error);
    if (!view.value.settings) return reportFailure(context, notConfigured(inbox));
    const result = await services.inbox.testConnection(inbox, view.value.settings, { kind: 'keep' });
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, message: result.value.message });
    else context.out(`${result.value.message}\n`);
    return 0;
  });
}

function notConfigured(inbox: InboxId): AppError {
  return { code: ErrorCode.NotConfigured, message: `The ${mailboxNames[inbox]} is not set up yet.`, fix: `Run mail-settings configure ${inboxCliNames[inbox]} first.` };
}

function runLine(summary: InboxRunSummary): string {
  const kept = summary.alreadyStored > 0 ? ` ${summary.alreadyStored} kept by an earlier run were removed from the server.` : '';
  const later = summary.leftForLaterExpunge > 0 ? ` ${summary.leftForLaterExpunge} stay marked deleted until a later run removes them.` : '';
  return `${mailboxNames[summary.inbox]}: ${summary.retrieved} ${summary.retrieved === 1 ? 'record' : 'records'} created.${kept}${later}`;
}

/**
 * `mail-settings retrieve lead|service-desk [--json]`: empties the inbox into records, for cron and
 * systemd timers. The last line of --json output is `{"ok":true,"retrieved":N,…}` or
 * `{"ok":false,"error":{code,message,fix}}`; exit 0 only on success (another run going on is a failure,
 * RETRIEVAL_IN_PROGRESS, so a timer's overlapping start is visible).
 */
export async function retrieveCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const integrationId = integrationIdOfSource(positionals[0] ?? '');
  if (integrationId !== null) return retrieveIntegrationCommand(context, integrationId);
  const inbox = inboxOf(context, positionals[0]);
  if (typeof inbox === 'number') return inbox;
  return withRuntime(context, async ({ services }) => {
    const result = await services.inbox.checkNow(inbox);
    if (!result.ok) return reportFailure(context, result.error);
    const summary = result.value;
    if (context.json) {
      const { retrieved, alreadyStored, expunged, leftForLaterExpunge, skippedDeletedByOthers, notImported = 0, warnings } = summary;
      printJson(context, { ok: true, retrieved, alreadyStored, expunged, leftForLaterExpunge, skippedDeletedByOthers, notImported, warnings });
    } else {
      context.out(`${runLine(summary)}\n`);
      for (const warning of summary.warnings) context.err(`Warning: ${warning.message}${warning.fix ? `\n${warning.fix}` : ''}\n`);
    }
    return 0;
  });
}
