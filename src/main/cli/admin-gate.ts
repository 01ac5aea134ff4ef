import { ErrorCode, type AppError } from '../../shared/errors';
import type { AdminPolicy } from '../admin/admin-service';
import type { AppServices } from '../services';
import { reportFailure, type CliContext } from './cli-context';

/** The CLI's own way out of ADMIN_REQUIRED and of a 2FA not set up: the commands that do it. */
export function withCliAdminFix(error: AppError): AppError {
  if (error.code === ErrorCode.AdminTwoFactorNotSetUp) {
    return { ...error, fix: 'Set it up: mail-settings admin 2fa setup --email EMAIL --password-stdin, then mail-settings admin 2fa verify --email EMAIL --code NUMBER.' };
  }
  if (error.code !== ErrorCode.AdminRequired) return error;
  const creating = error.message.includes('there is none yet');
  return {
    ...error,
    fix: creating
      ? 'Create the first administrator: mail-settings admin create --email EMAIL --password-stdin, then mail-settings admin 2fa setup and mail-settings admin 2fa verify.'
      : 'Sign in first (the session lasts 15 minutes, renewed by each use): mail-settings admin sign-in --email EMAIL --password-stdin --code CODE.',
  };
}

/**
 * Runs an admin-only command inside the administrator session `admin sign-in` opened for this data
 * directory; otherwise reports ADMIN_REQUIRED (or ADMIN_STORE_MISSING) and answers exit code 1.
 */
export async function refusedWithoutAdmin(context: CliContext, services: AppServices, policy: AdminPolicy, action: string): Promise<number | null> {
  const session = await services.admin.authorize(policy, action);
  return session.ok ? null : reportFailure(context, withCliAdminFix(session.error));
}
