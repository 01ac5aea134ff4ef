import { ErrorCode, type AppError } from '../../../shared/errors';

/**
 * A keychain item of a sign-in that is not what Mail Settings wrote (not JSON, or without the fields it
 * needs): changed by another program or by hand. Nothing in it can be used, so only a new sign-in helps,
 * and the mailbox shows "Re-authenticate Now" as for a grant that died (the code is GRANT_EXPIRED).
 */
export const unreadableSignIn: AppError = {
  code: ErrorCode.GrantExpired,
  message: 'The sign-in that Mail Settings keeps in your system keychain for this mailbox can’t be read: it was changed outside Mail Settings.',
  fix: 'Click “Re-authenticate Now” and sign in again; that replaces the damaged entry. Mail is not sent or fetched for this mailbox until then.',
};
