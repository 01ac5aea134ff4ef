import { ErrorCode, type AppError } from '../../shared/errors';
import type { MailServerConnection } from '../../shared/mail-server';
import { redact } from '../log/redact';
import { connectionErrorOf } from '../mail/connection-errors';
import type { ProbeFindings } from '../mail/connection-diagnosis';
import { failureFieldsOf, recordOf, textOf } from '../mail/failure-fields';
import { appPasswordStepsFor, mailProviderOf, microsoftAppPasswordSteps, switchToModernAuthentication as switchToModern } from '../mail/app-password-advice';

/** What an SMTP failure needs to be explained: the connection, and what probing the server found. */
export interface SmtpErrorContext extends ProbeFindings {
  readonly settings: MailServerConnection;
}

const smtpAuthDisabledHelp = 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission';

// The inbox's IMAP table still imports these from here; their home is mail/app-password-advice.ts.
export { googleAppPasswordSteps, microsoftAppPasswordSteps } from '../mail/app-password-advice';

/** nodemailer's fields of an SMTP failure: the server's reply code and text, and the command it answered. */
function smtpFailureOf(cause: unknown) {
  const record = recordOf(cause);
  return {
    ...failureFieldsOf(cause),
    responseCode: typeof record['responseCode'] === 'number' ? record['responseCode'] : 0,
    response: textOf(record['response']),
    command: textOf(record['command']),
  };
}

/**
 * The table from an SMTP failure (nodemailer's code, the server's reply, Node's socket or TLS code) to a
 * sentence and a fix: SMTP's sign-in rows, then the rows every protocol shares (connection-errors.ts), then
 * SMTP's message rows. Each row has a test (test/unit/smtp-errors.test.ts) and an e2e screenshot.
 */
export function smtpErrorOf(cause: unknown, { settings, certificate, tlsDetected = false }: SmtpErrorContext): AppError {
  const failure = smtpFailureOf(cause);
  const provider = mailProviderOf(settings.serverName);
  const text = failure.text;

  // Authentication, by the server's enhanced status code first (providers.md).
  if (/5\.7\.139/.test(text)) {
    return {
      code: ErrorCode.SmtpAuthDisabledForTenant,
      message: 'Office 365 refused the sign-in because SMTP AUTH is disabled for your organisation (5.7.139).',
      fix: `A Microsoft 365 admin can enable it for this mailbox: Microsoft 365 admin center › Users › Active users › select the user › Mail › Manage email apps › tick “Authenticated SMTP”, or in PowerShell: Set-CASMailbox -Identity ${settings.userName} -SmtpClientAuthenticationDisabled $false (see ${smtpAuthDisabledHelp}). ${switchToModern}`,
    };
  }
  if (/5\.7\.3\b/.test(text)) {
    return {
      code: ErrorCode.SmtpAuthBlocked,
      message: 'The mail server refused the sign-in for this mailbox (535 5.7.3 Authentication unsuccessful).',
      fix: `Check the user name and password. For a shared mailbox, sign in as a user who has “Send As” permission on it and use that user’s credentials. If the account uses multi-factor authentication or basic authentication is blocked, ${provider === 'office365' ? microsoftAppPasswordSteps + ' ' : ''}${switchToModern}`,
    };
  }
  if (failure.code === 'EAUTH' || failure.responseCode === 535 || failure.responseCode === 534 || /AUTHENTICATIONFAILED|authentication failed|Invalid credentials/i.test(text)) {
    if (settings.authMethod !== 'password') {
      return {
        code: ErrorCode.SmtpTokenRejected,
        message: 'The mail server did not accept the sign-in token (it may have expired or been revoked).',
        fix: 'Click “Re-authenticate Now” (or Reset, then “Sign in using Modern Authentication…”) and sign in again with the mailbox’s account.',
      };
    }
    const appPassword = appPasswordStepsFor(provider);
    return {
      code: ErrorCode.SmtpAuthFailed,
      message: `The mail server did not accept the user name or password (${failure.responseCode || 'authentication failed'}).`,
      fix: `Check the User Name (usually the full email address) and the Password. ${appPassword ? `${appPassword} ` : ''}${provider === 'other' ? '' : switchToModern}`.trim(),
    };
  }

  const shared = connectionErrorOf(failure, { protocol: 'smtp', connection: settings, ...(certificate ? { certificate } : {}), tlsDetected });
  if (shared) return shared;

  // The server refused the message itself.
  if (failure.code === 'EENVELOPE' || (failure.responseCode >= 550 && failure.responseCode <= 553)) {
    return {
      code: ErrorCode.RecipientRejected,
      message: `The mail server refused a recipient or the sender address: ${redact(failure.response || 'no reason given')}`.slice(0, 300),
      fix: 'Check the recipient addresses and that the Sender Email Address is one this account may send as.',
    };
  }
  return {
    code: ErrorCode.MailRejected,
    message: `The mail server reported a problem: ${redact(failure.response || failure.text.trim() || 'no reason given')}`.slice(0, 300),
    fix: 'Check the settings and try again. If it keeps failing, send this message to your IT team.',
  };
}
