import { parseArgs } from 'node:util';
import { adminCodeSchema, adminEmailSchema, type TwoFactorSetup } from '../../../shared/admin';
import { ErrorCode, type AppError } from '../../../shared/errors';
import type { AppServices } from '../../services';
import { withCliAdminFix } from '../admin-gate';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';
import { readSecret } from '../read-secret';

/**
 * `mail-settings admin create|2fa setup|2fa verify|sign-in|sign-out` (issue 14): the administrators of this
 * data directory. The password comes from standard input only (never argv: `ps` and shell history show
 * it), and nothing else does; the one-time security number is on the command line (it is spent once used).
 */

const usage = 'Use: mail-settings admin create | 2fa setup | 2fa verify | sign-in | sign-out (see mail-settings --help).';

function invalid(message: string, fix?: string): AppError {
  return { code: ErrorCode.InvalidInput, message, ...(fix ? { fix } : {}) };
}

export async function adminCommand(context: CliContext, args: readonly string[]): Promise<number> {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    return reportFailure(
      context,
      invalid(
        'Mail Settings does not take a password on the command line, where other users and your shell history could read it.',
        'Pass it on standard input with --password-stdin (for example: printf %s "$PASSWORD" | mail-settings admin sign-in --email EMAIL --password-stdin --code CODE).',
      ),
    );
  }
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      code: { type: 'string' },
    },
  });
  const step = positionals[0] === '2fa' ? `2fa ${positionals[1] ?? ''}`.trim() : positionals[0];
  const run = step === undefined ? undefined : steps[step];
  if (!run) return reportFailure(context, invalid(step ? `“admin ${step}” is not an admin command. ${usage}` : usage));
  return run(context, { email: values.email, passwordStdin: values['password-stdin'], code: values.code });
}

interface AdminArgs {
  readonly email: string | undefined;
  readonly passwordStdin: boolean;
  readonly code: string | undefined;
}

type Step = (context: CliContext, args: AdminArgs) => Promise<number>;

const steps: Record<string, Step> = {
  create: (context, args) =>
    withEmailAndPassword(context, args, async (services, email, password) => {
      const created = await services.admin.createFirst(email, password);
      if (!created.ok) return reportFailure(context, withCliAdminFix(created.error));
      if (context.json) printJson(context, { ok: true, email: created.value.email });
      else context.out(`Administrator ${created.value.email} created. Next, set up two-factor authentication: mail-settings admin 2fa setup --email ${created.value.email} --password-stdin\n`);
      return 0;
    }),
  '2fa setup': (context, args) =>
    withEmailAndPassword(context, args, async (services, email, password) => {
      const setup = await services.admin.setUpTwoFactor(email, password);
      if (!setup.ok) return reportFailure(context, withCliAdminFix(setup.error));
      if (context.json) printJson(context, { ok: true, otpauthUri: setup.value.otpauthUri, setupKey: setup.value.setupKey });
      else context.out(await setupText(setup.value, services.sharedSettings !== null));
      return 0;
    }),
  '2fa verify': (context, args) =>
    withEmailAndCode(context, args, async (services, email, code, password) => {
      const enabled = await services.admin.confirmTwoFactor(email, code, password);
      if (!enabled.ok) return reportFailure(context, withCliAdminFix(enabled.error));
      if (context.json) {
        printJson(context, { ok: true, recoveryCodes: enabled.value.recoveryCodes });
      } else {
        context.out(
          `Two-factor authentication is on for ${email}, and you are signed in as an administrator for 15 minutes.\n` +
            `Recovery codes, for when the phone is lost (each works once; they are not shown again, so keep them somewhere safe):\n` +
            `${enabled.value.recoveryCodes.map((recovery) => `  ${recovery}`).join('\n')}\n`,
        );
      }
      return 0;
    }),
  'sign-in': (context, args) => {
    if (args.code === undefined) return Promise.resolve(reportFailure(context, invalid('Give the security number from your authenticator app with --code.')));
    return withEmailAndPassword(context, args, async (services, email, password) => {
      const code = adminCodeSchema.safeParse(args.code);
      if (!code.success) return reportFailure(context, invalid(code.error.issues[0]?.message ?? 'This is not a security number.'));
      const signedIn = await services.admin.signIn(email, password, code.data);
      if (!signedIn.ok) return reportFailure(context, withCliAdminFix(signedIn.error));
      if (context.json) printJson(context, { ok: true });
      else context.out(`Signed in as administrator ${email} on this computer, until 15 minutes pass without an administrator command, or mail-settings admin sign-out.\n`);
      return 0;
    });
  },
  'sign-out': (context) =>
    withRuntime(context, async ({ services }) => {
      const signedOut = await services.admin.signOut();
      if (!signedOut.ok) return reportFailure(context, signedOut.error);
      if (context.json) printJson(context, { ok: true });
      else context.out('Signed out: administrator commands ask for a sign-in again.\n');
      return 0;
    }),
};

function emailOf(context: CliContext, typed: string | undefined): string | number {
  const email = adminEmailSchema.safeParse(typed ?? '');
  if (email.success) return email.data;
  return reportFailure(context, invalid(typed === undefined ? 'Give the administrator’s email address with --email.' : (email.error.issues[0]?.message ?? 'This is not an email address.')));
}

/** The password: standard input only, and only the password (a second line is refused, not guessed at). */
async function passwordOf(context: CliContext, args: AdminArgs): Promise<string | number> {
  if (!args.passwordStdin) {
    return reportFailure(context, invalid('Pass the password on standard input with --password-stdin.', 'For example: printf %s "$PASSWORD" | mail-settings admin … --password-stdin'));
  }
  const password = await readSecret('Password: ');
  context.secrets.remember(password);
  for (const line of password.split(/\r?\n/)) context.secrets.remember(line);
  if (!password) return reportFailure(context, invalid('No password arrived on standard input.'));
  if (/[\r\n]/.test(password)) {
    return reportFailure(
      context,
      invalid('Standard input holds more than one line: only the password goes there.', 'Give the security number with --code, and pass the password alone on standard input.'),
    );
  }
  return password;
}

async function withEmailAndPassword(context: CliContext, args: AdminArgs, task: (services: AppServices, email: string, password: string) => Promise<number>): Promise<number> {
  const email = emailOf(context, args.email);
  if (typeof email === 'number') return email;
  const password = await passwordOf(context, args);
  if (typeof password === 'number') return password;
  return withRuntime(context, ({ services }) => task(services, email, password));
}

/**
 * `2fa verify`: the email and the security number; with a shared records database also the password
 * (--password-stdin), which opens the set-up's sealed secret in this new process (sealed-totp-secret.ts).
 */
async function withEmailAndCode(
  context: CliContext,
  args: AdminArgs,
  task: (services: AppServices, email: string, code: string, password: string | undefined) => Promise<number>,
): Promise<number> {
  const email = emailOf(context, args.email);
  if (typeof email === 'number') return email;
  const code = adminCodeSchema.safeParse(args.code ?? '');
  if (!code.success) return reportFailure(context, invalid(args.code === undefined ? 'Give the security number from your authenticator app with --code.' : (code.error.issues[0]?.message ?? 'This is not a security number.')));
  const password = args.passwordStdin ? await passwordOf(context, args) : undefined;
  if (typeof password === 'number') return password;
  return withRuntime(context, ({ services }) => task(services, email, code.data, password));
}

/** The QR code drawn with text characters, the setup key, and what to do next. */
async function setupText(setup: TwoFactorSetup, teamMode: boolean): Promise<string> {
  const { toString } = await import('qrcode');
  const qr = await toString(setup.otpauthUri, { type: 'utf8', errorCorrectionLevel: 'M' });
  return (
    `Set up two-factor authentication (2FA) for ${setup.email}: scan this QR code with your authenticator app,\n${qr}\n` +
    `or enter this setup key in the app: ${setup.setupKey}\n` +
    `Then turn 2FA on with the security number the app shows: mail-settings admin 2fa verify --email ${setup.email} --code NUMBER${teamMode ? ' --password-stdin' : ''}\n`
  );
}
