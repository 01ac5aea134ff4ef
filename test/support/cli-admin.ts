import { authenticatorCode, testAdminPassword } from './admin-totp';
import type { CliResult } from './run-cli';

/** Runs the built CLI on one data directory with --json (the caller adds them), the password on stdin. */
export type AdminCli = (args: readonly string[], stdin?: string) => Promise<CliResult>;

export interface CreatedAdmin {
  readonly email: string;
  readonly password: string;
  readonly setupKey: string;
  readonly recoveryCodes: readonly string[];
}

function lastJson(result: CliResult): Record<string, unknown> {
  const line = result.lines.at(-1);
  if (result.code !== 0 || line === undefined) throw new Error(`mail-settings failed (exit ${result.code}): ${result.stdout}${result.stderr}`);
  return JSON.parse(line) as Record<string, unknown>;
}

/**
 * `admin create`, `admin 2fa setup`, then `admin 2fa verify` with the code an authenticator app would show
 * for the setup key (the `otpauth` package, not the app's code): 2FA on, and an administrator session open.
 */
export async function createAdminWithCli(cli: AdminCli, email = 'admin@example.test'): Promise<CreatedAdmin> {
  lastJson(await cli(['admin', 'create', '--email', email, '--password-stdin'], `${testAdminPassword}\n`));
  const setup = lastJson(await cli(['admin', '2fa', 'setup', '--email', email, '--password-stdin'], `${testAdminPassword}\n`));
  const setupKey = String(setup['setupKey']);
  const verified = lastJson(await cli(['admin', '2fa', 'verify', '--email', email, '--code', authenticatorCode(setupKey)]));
  return { email, password: testAdminPassword, setupKey, recoveryCodes: verified['recoveryCodes'] as string[] };
}
