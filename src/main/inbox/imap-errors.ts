import { ErrorCode, type AppError } from '../../shared/errors';
import type { SecurityMode } from '../../shared/mail-server';
import { appPasswordStepsFor, mailProviderOf, switchToModernAuthentication } from '../mail/app-password-advice';
import { connectionErrorOf } from '../mail/connection-errors';
import { failureFieldsOf, recordOf, textOf } from '../mail/failure-fields';
import { suggestedBackoffMs, throttledError } from './server-throttling';

/**
 * From a retrieval's failure (imapflow's flags and codes, the server's response code, Node's socket, DNS
 * or TLS code) to a sentence and a fix: the IMAP sign-in rows and the rows of a run in progress here,
 * certificates, TLS against the port and reaching the server from the shared table (mail/connection-errors).
 */

/** What a failure needs to be explained. */
export interface ImapErrorContext {
  readonly host: string;
  readonly port: number;
  readonly security: SecurityMode;
  readonly authMethod: 'password' | 'token';
  /** Where the run was: connecting and signing in, opening the mailbox, or retrieving. */
  readonly phase: 'connect' | 'open' | 'retrieve';
  /**
   * The connection was no longer usable when the failure arrived. A server that drops a session (Dovecot's
   * `doveadm kick`, a restart) may first answer the command in flight or send BYE (RFC 3501 7.1.5), so the
   * failure's own code does not always say the connection is gone.
   */
  readonly connectionDropped?: boolean;
  /** The folder the run opens (the inbox's Folder setting); INBOX when absent. */
  readonly mailbox?: string;
}

/** imapflow's codes for a connection that is gone (or silent) once it was up. */
const connectionGone = /^(NoConnection|EConnectionClosed|ClosedAfterConnectText|ClosedAfterConnectTLS|ECONNRESET|EPIPE|ETIMEOUT)$/;

export function imapErrorOf(cause: unknown, context: ImapErrorContext): AppError {
  const record = recordOf(cause);
  const failure = failureFieldsOf(cause);
  const responseCode = textOf(record['serverResponseCode']).toUpperCase();
  const { host, port } = context;

  // First: a throttled sign-in is a NO to LOGIN/AUTHENTICATE too (imapflow then flags authenticationFailed).
  const backoffMs = suggestedBackoffMs(failure.text);
  if (backoffMs !== null) return throttledError(host, backoffMs);
  // Answered to the sign-in or to SELECT, depending on the server: its own meaning wherever it comes.
  if (/User is authenticated but not connected/i.test(failure.text)) return mailboxNotConnected();
  // RFC 3501 7.2.1 LOGINDISABLED and RFC 5530 PRIVACYREQUIRED: the server signs in only over TLS.
  if (responseCode === 'PRIVACYREQUIRED' || /Login is disabled|LOGINDISABLED|Plaintext authentication disallowed/i.test(failure.text)) {
    return {
      code: ErrorCode.TlsRequired,
      message: `The mail server ${host}:${port} accepts a sign-in only over an encrypted connection, and SSL is off.`,
      fix: 'Set Use SSL to SSL/TLS (port 993) or STARTTLS (port 143).',
    };
  }
  // RFC 5530 [AUTHENTICATIONFAILED]; some servers answer a bare "NO Login failed" (imapflow flags any
  // tagged NO to LOGIN or AUTHENTICATE as authenticationFailed).
  if (record['authenticationFailed'] === true || responseCode === 'AUTHENTICATIONFAILED' || /Login failed|Invalid credentials|AUTHENTICATE failed|Authentication failed/i.test(failure.text)) {
    return authenticationError(context);
  }
  const saysBye = /\bBYE\b|disconnected|shutting down/i.test(failure.text);
  if (context.phase === 'retrieve' && (connectionGone.test(failure.code) || context.connectionDropped === true || saysBye)) return connectionLost(context);
  const shared = connectionErrorOf(failure, { protocol: 'imap', connection: { serverName: host, port, security: context.security } });
  if (shared) return shared;
  if (connectionGone.test(failure.code) || /Connection (not available|closed)/i.test(failure.text)) return connectionLost(context);
  if (context.phase === 'open') {
    return {
      code: ErrorCode.MailboxUnavailable,
      message: `The mail server did not open the folder ${context.mailbox ?? 'INBOX'} (${textOf(record['responseText']) || textOf(record['message']) || 'no reason given'}).`,
      fix: context.mailbox !== undefined && context.mailbox.toUpperCase() !== 'INBOX'
        ? 'Check the Folder setting: click Test Connection to see whether the folder exists, and that IMAP access is enabled for the mailbox.'
        : 'Check that the account has a mailbox and that IMAP access is enabled for it.',
    };
  }
  return {
    code: ErrorCode.Internal,
    message: `Retrieval from ${host}:${port} failed: ${failure.text.replace(/\s+/g, ' ').trim() || String(cause)}`,
    fix: 'Try again; if it keeps failing, send the log file to your IT team.',
  };
}

function authenticationError(context: ImapErrorContext): AppError {
  if (context.authMethod === 'token') {
    return {
      code: ErrorCode.ImapAuthFailed,
      message: 'The mail server did not accept the sign-in token (it may have expired or been revoked).',
      fix: 'Click “Re-authenticate Now” (or Reset, then sign in again) with the mailbox’s account.',
    };
  }
  const provider = mailProviderOf(context.host);
  return {
    code: ErrorCode.ImapAuthFailed,
    message: 'The mail server did not accept the user name or password.',
    fix: `Check the Username (usually the full email address) and the Password. ${appPasswordStepsFor(provider)} ${provider === 'other' ? '' : switchToModernAuthentication}`.replace(/\s+/g, ' ').trim(),
  };
}

function connectionLost({ host, port }: ImapErrorContext): AppError {
  return {
    code: ErrorCode.ConnectionLost,
    message: `The connection to ${host}:${port} was lost during retrieval.`,
    fix: 'Nothing was lost: every message kept so far is in the records, and the next run goes on from there. If this keeps happening, check the network connection.',
  };
}

/**
 * Office 365's answer when the sign-in is valid but does not open this mailbox: the token is another
 * account's (one without Full Access), or it lacks the IMAP.AccessAsUser.All permission (Microsoft
 * Learn, "Authenticate an IMAP, POP or SMTP connection using OAuth"). Signing in again as the same
 * account would not help, hence its own code.
 */
function mailboxNotConnected(): AppError {
  return {
    code: ErrorCode.MailboxNotConnected,
    message: 'Office 365 accepted the sign-in but not for this mailbox (“User is authenticated but not connected”): the signed-in account has no access to it, or the sign-in lacks the permission to read mail over IMAP.',
    fix: 'Sign in again with the account of this mailbox itself (or one with Full Access to it) and check that IMAP is enabled for the mailbox in the Microsoft 365 admin center. If that account is right, ask your IT team to grant the app registration the IMAP.AccessAsUser.All permission.',
  };
}
