import { parseArgs } from 'node:util';
import { accountOfCliName, integrationIdOfAccount, providerOptionsSchema } from '../../../shared/accounts';
import { ErrorCode } from '../../../shared/errors';
import { fieldErrorsOf } from '../../../shared/field-errors';
import { mailboxCliNames } from '../../../shared/mailboxes';
import { refusedWithoutAdmin } from '../admin-gate';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';
import { readSecret } from '../read-secret';

/** Command-line arguments are readable by every user of the machine (`ps`, /proc/<pid>/cmdline) and stay in shell history. */
const clientSecretOnArgv = {
  code: ErrorCode.InvalidInput,
  message: 'Mail Settings does not take a client secret on the command line, where other users and your shell history could read it.',
  fix: 'Pass it on standard input with --client-secret-stdin (for example: printf %s "$CLIENT_SECRET" | mail-settings sign-in send … --client-secret-stdin), or set MAIL_SETTINGS_GOOGLE_CLIENT_SECRET or MAIL_SETTINGS_OIDC_CLIENT_SECRET.',
} as const;

/**
 * `mail-settings sign-in send --provider office365|google|oidc [...]`: the app's sign-in flow with the
 * system browser (or, with --no-browser, only the link), waiting for the loopback callback, like `az login`.
 * A client secret comes from standard input (--client-secret-stdin) or the environment, never from argv.
 */
export async function signInCommand(context: CliContext, args: readonly string[]): Promise<number> {
  if (args.some((arg) => arg === '--client-secret' || arg.startsWith('--client-secret='))) return reportFailure(context, clientSecretOnArgv);
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      provider: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret-stdin': { type: 'boolean', default: false },
      tenant: { type: 'string' },
      'login-hint': { type: 'string' },
      'no-browser': { type: 'boolean', default: false },
    },
  });
  const mailbox = accountOfCliName(positionals[0]);
  if (mailbox === null) {
    return reportFailure(context, { code: ErrorCode.InvalidInput, message: `Name the mailbox to sign in: ${mailboxCliNameList}, or integration:ID (an Email Integration mailbox on Modern Authentication).` });
  }
  let clientSecret: string | undefined;
  if (values['client-secret-stdin']) {
    clientSecret = await readSecret('Client secret: ');
    if (!clientSecret) return reportFailure(context, { code: ErrorCode.InvalidInput, message: 'No client secret arrived on standard input.' });
    // Known from now on: whatever error quotes it is printed without it.
    context.secrets.remember(clientSecret);
  }
  const options = providerOptionsSchema.safeParse({
    kind: values.provider,
    clientId: values['client-id'],
    clientSecret,
    tenant: values.tenant,
    issuer: values.issuer,
    loginHint: values['login-hint'],
  });
  if (!options.success) {
    const fieldErrors = fieldErrorsOf(options.error);
    const message = fieldErrors['kind'] ? 'Choose --provider office365, google or oidc.' : (Object.values(fieldErrors)[0] ?? 'Invalid option.');
    return reportFailure(context, { code: ErrorCode.InvalidInput, message, fieldErrors });
  }

  return withRuntime(context, async ({ services }) => {
    const stopListening = services.events.on('signInProgress', ({ url }) => {
      if (context.json) printJson(context, { signInUrl: url });
      else context.err(`${values['no-browser'] ? 'Open this link in a browser to sign in' : 'Your browser is opening the sign-in page. If it does not, open this link'}:\n${url}\n`);
    });
    const via = values['no-browser'] ? 'link' : 'browser';
    const integrationId = integrationIdOfAccount(mailbox);
    // An added mailbox's sign-in is part of its credential: administrators' business, as in the dashboard.
    if (integrationId !== null) {
      const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'sign-in');
      if (refused !== null) {
        stopListening();
        return refused;
      }
    }
    const result = integrationId === null ? await services.accounts.signIn(mailbox, options.data, via) : await services.integration.signIn(integrationId, options.data, via);
    stopListening();
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, username: result.value.username });
    else context.out(`Signed in as ${result.value.username ?? ''}.\n`);
    return 0;
  });
}

/** "send, lead, service-desk": what a usage message offers. */
export const mailboxCliNameList = Object.values(mailboxCliNames).join(', ');
