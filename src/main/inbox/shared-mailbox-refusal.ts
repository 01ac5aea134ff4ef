import { ErrorCode, type AppError } from '../../shared/errors';

/**
 * Office 365 refuses a member without Full Access to a shared mailbox with the words it uses for a dead
 * token ("AUTHENTICATE failed"), or says "User is authenticated but not connected". Once the member's
 * sign-in is known to be alive, the refusal is about the shared mailbox: this says so, and who can fix it.
 * `code` stays the one the failure had, so whatever keys on it (a run's persisting failure) still does.
 */
export function sharedMailboxRefusal(member: string, sharedMailbox: string, code: ErrorCode = ErrorCode.ImapAuthFailed): AppError {
  // "Not connected" can also mean IMAP is switched off for the mailbox (Microsoft Learn, "Enable or disable POP3 or IMAP4 access for a user").
  const imapOff = code === ErrorCode.MailboxNotConnected ? ` If ${member} has Full Access already, check that IMAP is enabled for ${sharedMailbox}.` : '';
  return {
    code,
    message: `${member} has no access to ${sharedMailbox}: ask your Office 365 admin to grant Full Access.`,
    fix: `In the Microsoft 365 admin center (Teams & groups › Shared mailboxes › ${sharedMailbox}), an admin adds ${member} as a member, which grants Full Access. The change can take a while to reach the mail server; then click Test Connection again. To read the mailbox as someone else, click Reset and sign in as a member.${imapOff}`,
  };
}
