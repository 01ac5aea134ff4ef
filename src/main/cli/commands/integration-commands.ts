import { parseArgs } from 'node:util';
import { ErrorCode, type AppError } from '../../../shared/errors';
import { fieldErrorsOf } from '../../../shared/field-errors';
import { defaultIntegrationPort, integrationLabels, integrationSettingsSchema, type IntegrationCredentialView } from '../../../shared/integration';
import { authMethodLabels, type PasswordChange } from '../../../shared/mail-server';
import { refusedWithoutAdmin } from '../admin-gate';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';
import { readSecret } from '../read-secret';
import { describeAlias } from './alias-commands';
import { retrieveIntegrationCommand } from './integration-retrieve-command';

/**
 * `mail-settings integration list|add|show|delete|change-password|test` (issue 15, seed 002): System Admin ›
 * Email Integration on the command line, with the form's fields and rules. Passwords come from standard
 * input only (never argv: `ps` and shell history show it). Once an administrator exists, add, delete and
 * change-password run only inside the session `mail-settings admin sign-in` opened.
 */

const usage = 'Use: mail-settings integration list | add | show ID | delete ID | change-password ID | test ID (see mail-settings --help).';

function invalid(message: string, fix?: string): AppError {
  return { code: ErrorCode.InvalidInput, message, ...(fix ? { fix } : {}) };
}

const passwordOnCommandLine = invalid(
  'Mail Settings does not take a password on the command line, where other users and your shell history could read it.',
  'Pass it on standard input with --password-stdin (for example: printf %s "$PASSWORD" | mail-settings integration add … --password-stdin).',
);

type Step = (context: CliContext, values: IntegrationArgs, id: string | undefined) => Promise<number>;

interface IntegrationArgs {
  readonly mailbox?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: string | undefined;
  readonly secure?: string | undefined;
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly auth?: string | undefined;
  readonly 'password-stdin'?: boolean | undefined;
}

export async function integrationCommand(context: CliContext, args: readonly string[]): Promise<number> {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) return reportFailure(context, passwordOnCommandLine);
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      mailbox: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      secure: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      auth: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const [step, id] = positionals;
  const run = step === undefined ? undefined : steps[step];
  if (!run) return reportFailure(context, invalid(step ? `“integration ${step}” is not an integration command. ${usage}` : usage));
  if (step !== 'list' && step !== 'add' && id === undefined) return reportFailure(context, invalid(`Name the mailbox: mail-settings integration ${step} ID (the ids are in mail-settings integration list).`));
  return run(context, values, id);
}

/** "on" / "off" for Use Secure Connection; anything else is left for the schema to refuse (it wants a boolean). */
function onOrOff(value: string | undefined): boolean | string {
  if (value === undefined || value === 'on') return true;
  if (value === 'off') return false;
  return value;
}

function statusText(row: IntegrationCredentialView): string {
  if (row.status === null) return 'not checked yet';
  return row.status.ok ? `connected (${row.status.at})` : `failed (${row.status.at}): ${row.status.error?.message ?? 'no reason kept'}`;
}

function rowLines(row: IntegrationCredentialView): string {
  return [
    `${row.configurationName} [${row.id}]`,
    `  ${integrationLabels.mailbox}: ${row.mailbox}`,
    `  ${integrationLabels.host}: ${row.host}${row.settings ? `:${row.settings.port}, ${integrationLabels.secure}: ${row.settings.secure ? 'on' : 'off'}` : ''}`,
    ...(row.settings ? [`  ${integrationLabels.description}: ${row.settings.description}`] : []),
    `  ${integrationLabels.authMethod}: ${authMethodLabels[row.authMethod]}`,
    `  ${integrationLabels.password}: ${row.hasPassword ? 'stored in the keychain' : 'none stored'}`,
    `  Status: ${statusText(row)}`,
  ].join('\n');
}

/** A password from standard input, kept out of every failure this run prints. */
async function passwordFromStdin(context: CliContext, prompt: string): Promise<string> {
  const value = await readSecret(prompt);
  context.secrets.remember(value);
  return value;
}

const steps: Record<string, Step> = {
  retrieve: (context, _values, id) => retrieveIntegrationCommand(context, id ?? ''),

  list: (context) =>
    withRuntime(context, async ({ services }) => {
      const listed = await services.integration.list();
      if (!listed.ok) return reportFailure(context, listed.error);
      if (context.json) printJson(context, { ok: true, integrations: listed.value });
      else if (listed.value.length === 0) context.out('No mailbox credentials yet. Add one with mail-settings integration add.\n');
      else context.out(`${listed.value.map(rowLines).join('\n')}\n`);
      return 0;
    }),

  show: (context, _values, id) =>
    withRuntime(context, async ({ services }) => {
      const shown = await services.integration.get(id ?? '');
      if (!shown.ok) return reportFailure(context, shown.error);
      const aliases = shown.value.kind === 'integration' ? await services.integration.listAliases(shown.value.id) : null;
      if (aliases && !aliases.ok) return reportFailure(context, aliases.error);
      const aliasList = aliases?.value ?? [];
      if (context.json) printJson(context, { ok: true, integration: shown.value, aliases: aliasList });
      else context.out(`${rowLines(shown.value)}\n${aliasList.map((alias) => `  Alias: ${describeAlias(alias)}`).join('\n')}${aliasList.length > 0 ? '\n' : ''}`);
      return 0;
    }),

  add: (context, values) => {
    const parsed = integrationSettingsSchema.safeParse({
      mailbox: values.mailbox ?? '',
      host: values.host ?? '',
      port: values.port ?? defaultIntegrationPort,
      secure: onOrOff(values.secure),
      configurationName: values.name ?? '',
      description: values.description ?? '',
      authMethod: values.auth ?? 'password',
    });
    if (!parsed.success) {
      const fieldErrors = fieldErrorsOf(parsed.error);
      const [field, message] = Object.entries(fieldErrors)[0] ?? ['form', 'Invalid settings.'];
      const label = integrationLabels[field as keyof typeof integrationLabels] ?? field;
      return Promise.resolve(reportFailure(context, { code: ErrorCode.InvalidInput, message: `${label}: ${message}`, fieldErrors }));
    }
    return withRuntime(context, async ({ services }) => {
      const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'integration add');
      if (refused !== null) return refused;
      const password = values['password-stdin'] === true ? await passwordFromStdin(context, 'Password: ') : '';
      const added = await services.integration.add(parsed.data, password);
      if (!added.ok && added.error.fieldErrors?.['password'] !== undefined) return reportFailure(context, { ...added.error, fix: 'Pass the mailbox’s password on standard input with --password-stdin.' });
      if (!added.ok) return reportFailure(context, added.error);
      if (context.json) printJson(context, { ok: true, integration: added.value });
      else if (added.value.authMethod !== 'password') {
        const provider = added.value.authMethod === 'oauth-google' ? 'google' : 'office365';
        context.out(`“${added.value.configurationName}” added [${added.value.id}]. Sign it in next: mail-settings sign-in integration:${added.value.id} --provider ${provider}; then mail-settings integration test ${added.value.id}.\n`);
      } else context.out(`“${added.value.configurationName}” added [${added.value.id}].${added.value.hasPassword ? ' The password is in the keychain.' : ''} Check it with mail-settings integration test ${added.value.id}.\n`);
      return 0;
    });
  },

  delete: (context, _values, id) =>
    withRuntime(context, async ({ services }) => {
      const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'integration delete');
      if (refused !== null) return refused;
      const deleted = await services.integration.delete(id ?? '');
      if (!deleted.ok && deleted.error.code === ErrorCode.IntegrationInUse) {
        return reportFailure(context, { ...deleted.error, fix: `${deleted.error.fix ?? ''} The aliases and their ids: mail-settings alias list --credential ${id ?? ''}; delete one with mail-settings alias delete ALIAS_ID.`.trim() });
      }
      if (!deleted.ok) return reportFailure(context, deleted.error);
      if (context.json) printJson(context, { ok: true, deleted: id, integrations: deleted.value });
      else context.out(`Deleted, with its own alias and its password in the keychain.\n`);
      return 0;
    }),

  'change-password': (context, values, id) =>
    withRuntime(context, async ({ services }) => {
      if (values['password-stdin'] !== true) return reportFailure(context, invalid('Pass the new password on standard input with --password-stdin: the New Password, then the Confirm Password, one per line.'));
      const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'integration change-password');
      if (refused !== null) return refused;
      const [newPassword, confirmPassword] = await newAndConfirmPassword(context);
      const changed = await services.integration.changePassword(id ?? '', newPassword, confirmPassword);
      if (!changed.ok) return reportFailure(context, changed.error);
      if (context.json) printJson(context, { ok: true, integration: changed.value });
      else context.out(`The new password is in the keychain. Check that the mailbox takes it: mail-settings integration test ${changed.value.id}.\n`);
      return 0;
    }),

  test: (context, values, id) =>
    withRuntime(context, async ({ services }) => {
      const shown = await services.integration.get(id ?? '');
      if (!shown.ok) return reportFailure(context, shown.error);
      if (shown.value.settings === null) {
        return reportFailure(context, invalid(`${shown.value.configurationName} is tested with its own command.`, 'Use mail-settings test-connection send|lead|service-desk.'));
      }
      const password: PasswordChange = values['password-stdin'] === true ? { kind: 'set', value: await passwordFromStdin(context, 'Password: ') } : { kind: 'keep' };
      const tested = await services.integration.test(shown.value.id, shown.value.settings, password);
      if (!tested.ok) return reportFailure(context, tested.error);
      if (context.json) printJson(context, { ok: true, message: tested.value.message });
      else context.out(`${tested.value.message}\n`);
      return 0;
    }),
};

/**
 * Change Password's two fields from standard input: two prompts on a terminal (echo off), or two lines
 * from a pipe (`printf '%s\n%s\n' "$NEW" "$NEW" |`), so a script is held to the same check as the dialog.
 */
async function newAndConfirmPassword(context: CliContext): Promise<[string, string]> {
  if (process.stdin.isTTY === true) return [await passwordFromStdin(context, 'New Password: '), await passwordFromStdin(context, 'Confirm Password: ')];
  const [newPassword = '', confirmPassword = ''] = (await readSecret('')).split(/\r?\n/);
  context.secrets.remember(newPassword);
  context.secrets.remember(confirmPassword);
  return [newPassword, confirmPassword];
}
