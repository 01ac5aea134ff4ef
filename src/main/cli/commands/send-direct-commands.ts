import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ErrorCode, type AppError } from '../../../shared/errors';
import { fieldErrorsOf } from '../../../shared/field-errors';
import type { PasswordChange } from '../../../shared/mail-server';
import { sendDirectLabels, sendDirectSettingsSchema, type SendDirectField } from '../../../shared/send-direct';
import { testEmailSchema } from '../../../shared/test-email';
import { readHtmlFile } from '../../files/html-file';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';
import { readSecret } from '../read-secret';

function invalid(context: CliContext, error: AppError): Promise<number> {
  return Promise.resolve(reportFailure(context, error));
}

function requireSend(context: CliContext, mailbox: string | undefined): AppError | null {
  return mailbox === 'send' ? null : { code: ErrorCode.InvalidInput, message: 'Only the “send” (Send Direct) mailbox can be used here for now.' };
}

/**
 * `mail-settings configure send --host H --port P --security none|starttls|tls --user U --password-stdin
 *  --sender-name N --sender-address A [--auth password|oauth-office365|oauth-google] [--allow-insecure-auth]`
 * The password is read from standard input only, never from the command line (shell history, ps).
 * `--allow-insecure-auth` is the form's "Allow sending my password without encryption", for None only.
 */
export function configureCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      security: { type: 'string' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'sender-name': { type: 'string' },
      'sender-address': { type: 'string' },
      auth: { type: 'string', default: 'password' },
      'allow-insecure-auth': { type: 'boolean', default: false },
    },
  });
  const wrongMailbox = requireSend(context, positionals[0]);
  if (wrongMailbox) return invalid(context, wrongMailbox);
  const parsed = sendDirectSettingsSchema.safeParse({
    serverName: values.host ?? '',
    port: values.port ?? (values.security === 'tls' ? 465 : 587),
    security: values.security ?? 'starttls',
    userName: values.user ?? '',
    senderName: values['sender-name'] ?? '',
    senderAddress: values['sender-address'] ?? '',
    authMethod: values.auth,
    allowInsecureAuth: values['allow-insecure-auth'],
  });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    const [field, message] = Object.entries(fieldErrors)[0] ?? ['form', 'Invalid settings.'];
    const label = sendDirectLabels[field as SendDirectField] ?? field;
    return invalid(context, { code: ErrorCode.InvalidInput, message: `${label}: ${message}`, fieldErrors });
  }
  return withRuntime(context, async ({ services }) => {
    let password: PasswordChange = { kind: 'keep' };
    if (values['password-stdin']) {
      // Typed on a terminal: prompted on stderr with echo off. Piped: read whole.
      const value = await readSecret('Password: ');
      context.secrets.remember(value);
      if (!value) return reportFailure(context, { code: ErrorCode.InvalidInput, message: 'No password arrived on standard input.' });
      password = { kind: 'set', value };
    }
    const result = await services.sendDirect.save(parsed.data, password);
    if (!result.ok && result.error.code === ErrorCode.PasswordNeededForNewServer) {
      return reportFailure(context, { ...result.error, fix: 'Pass the password for this server on standard input with --password-stdin.' });
    }
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, sendDirect: result.value });
    else context.out(`Send Direct saved (${parsed.data.serverName}:${parsed.data.port}).${result.value.passwordStored ? ' The password is in the keychain.' : ''}\n`);
    return 0;
  });
}

/** `mail-settings test-connection send [--json]`: exit 0 on success, 1 with the error and its fix. */
export function testConnectionCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const wrongMailbox = requireSend(context, positionals[0]);
  if (wrongMailbox) return invalid(context, wrongMailbox);
  return withRuntime(context, async ({ services }) => {
    const view = await services.sendDirect.get();
    if (!view.ok) return reportFailure(context, view.error);
    if (!view.value.settings) return reportFailure(context, { code: ErrorCode.NotConfigured, message: 'Send Direct is not set up yet.', fix: 'Run mail-settings configure send first.' });
    const result = await services.smtp.testConnection('send', view.value.settings, { kind: 'keep' });
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, message: result.value.message });
    else context.out(`${result.value.message}\n`);
    return 0;
  });
}

/** `mail-settings send --to X --subject S --html-file F [--attach F]... [--activity-note] [--json]` */
export function sendCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      to: { type: 'string', multiple: true },
      subject: { type: 'string' },
      'html-file': { type: 'string' },
      attach: { type: 'string', multiple: true },
      'activity-note': { type: 'boolean', default: false },
    },
  });
  return withRuntime(context, async ({ services }) => {
    let html = '';
    if (values['html-file']) {
      const read = await readHtmlFile(values['html-file']);
      if (!read.ok) return reportFailure(context, read.error);
      html = read.value;
    }
    const email = testEmailSchema.safeParse({
      to: (values.to ?? []).flatMap((to) => to.split(',')).filter(Boolean),
      subject: values.subject ?? '',
      html,
      activityNote: values['activity-note'],
    });
    if (!email.success) {
      const fieldErrors = fieldErrorsOf(email.error);
      return reportFailure(context, { code: ErrorCode.InvalidInput, message: Object.values(fieldErrors)[0] ?? 'Invalid message.', fieldErrors });
    }
    // The user typed these paths, so they are taken as given; sending checks each like any attachment.
    const attachments = (values.attach ?? []).map((path) => ({ path, name: basename(path) }));
    const result = await services.sendDirectMailer.send({ ...email.data, attachments });
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, ...result.value });
    else context.out(`Sent ${result.value.messageId}${result.value.activityNoteId !== null ? `; activity note ${result.value.activityNoteId} created` : ''}.\n`);
    return 0;
  });
}
