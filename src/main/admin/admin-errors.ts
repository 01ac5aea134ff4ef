import { ErrorCode, type AppError } from '../../shared/errors';
import { attemptsBeforeLock } from './admin-lockout';

/** What the administrator sign-in says when it refuses, in the product's words, each with what to do. */

export function adminRequired(administratorsExist: boolean): AppError {
  return administratorsExist
    ? {
        code: ErrorCode.AdminRequired,
        message: 'Only an administrator of Mail Settings can do this.',
        fix: 'Sign in as an administrator (email, password and the security number from your authenticator app), then try again.',
      }
    : {
        code: ErrorCode.AdminRequired,
        message: 'Only an administrator of Mail Settings can do this, and there is none yet.',
        fix: 'Create the first administrator (an email, a password and two-factor authentication), then try again.',
      };
}

export const credentialsWrong: AppError = {
  code: ErrorCode.AdminCredentialsWrong,
  message: 'This email address and password do not match an administrator of Mail Settings.',
  fix: `Check both and try again. After ${attemptsBeforeLock} wrong attempts, the administrator is locked out for a while.`,
};

/** The security number came more than 5 minutes after the password, or without it. */
export const passwordStepNeeded: AppError = {
  code: ErrorCode.AdminCredentialsWrong,
  message: 'Enter the email address and password first: the security number must follow within 5 minutes.',
  fix: 'Sign in again from the start.',
};

export const codeWrong: AppError = {
  code: ErrorCode.AdminCodeWrong,
  message: 'This security number is not right.',
  fix: 'Enter the 6-digit number your authenticator app shows now for Mail Settings (check that the phone’s clock is right), or one of your recovery codes.',
};

export const codeReused: AppError = {
  code: ErrorCode.AdminCodeReused,
  message: 'This security number was used already: each one works once.',
  fix: 'Wait for your authenticator app to show the next number (a new one comes every 30 seconds), then enter it.',
};

export function lockedOut(email: string, leftMs: number): AppError {
  const minutes = Math.max(1, Math.ceil(leftMs / 60_000));
  return {
    code: ErrorCode.AdminLockedOut,
    message: `Too many wrong attempts: ${email} can try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    fix: 'Wait, then sign in again with the right password and the number your authenticator app shows at that moment.',
  };
}

export const administratorExists: AppError = {
  code: ErrorCode.AdminExists,
  message: 'Mail Settings has an administrator already.',
  fix: 'Sign in as that administrator instead.',
};

export function twoFactorOnAlready(email: string): AppError {
  return {
    code: ErrorCode.AdminExists,
    message: `Two-factor authentication is on already for ${email}.`,
    fix: 'Sign in with the security number from your authenticator app.',
  };
}

export function twoFactorNotSetUp(email: string): AppError {
  return {
    code: ErrorCode.AdminTwoFactorNotSetUp,
    message: `${email} has not finished setting up two-factor authentication.`,
    fix: 'Sign in with the email and password: Mail Settings shows the QR code to scan with your authenticator app, then asks for the security number it shows.',
  };
}

/** Team mode: the TOTP secret is still only in the keychain of the installation where 2FA was set up. */
export function twoFactorKeptElsewhere(email: string, installation: string): AppError {
  return {
    code: ErrorCode.AdminCodeWrong,
    message: `${email} set up two-factor authentication on ${installation}, and the other installations cannot check its security numbers yet.`,
    fix: `Sign in as ${email} once on ${installation}: from then on every installation of the team can check them. Until then, a recovery code works here.`,
  };
}

/** Team mode, `admin 2fa verify` in a new command: the set-up's secret opens only with the password. */
export const passwordNeededForCode: AppError = {
  code: ErrorCode.AdminCredentialsWrong,
  message: 'With a shared records database, the security number is checked with the password: enter both.',
  fix: 'Give the password again with the security number (mail-settings admin 2fa verify --email EMAIL --code CODE --password-stdin), or sign in again from the start.',
};
