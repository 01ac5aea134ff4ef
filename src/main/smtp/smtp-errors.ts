import { ErrorCode, type AppError, type CertificateSummary } from '../../shared/errors';
import type { SendDirectSettings } from '../../shared/send-direct';
import { redact } from '../log/redact';

/** What a Send Direct failure needs to be explained: the settings and the certificate, if one was seen. */
export interface SmtpErrorContext {
  readonly settings: SendDirectSettings;
  readonly certificate?: CertificateSummary;
  /** After a greeting timeout: the port answered a TLS handshake, so it expects SSL/TLS from the first byte. */
  readonly tlsDetected?: boolean;
}

/** Seed 004: the steps to create an app password in Microsoft 365, for accounts with MFA. */
export const microsoftAppPasswordSteps =
  'If your Microsoft account uses multi-factor authentication, create an app password and enter it as the password: sign in to Office 365, click your initials or picture (top right), View account, Security info, + Add method, choose “App password”, click Add, give it a name (for example “Legrand CRM”), click Next, copy the password shown. If you do not see the App password option, contact your IT team.';
export const googleAppPasswordSteps =
  'If your Google account uses 2-Step Verification, create an app password at myaccount.google.com › Security › App passwords and enter it as the password (not available under Advanced Protection or when your Workspace admin blocks it).';
const switchToModern = 'Or choose “Modern Authentication (OAuth 2.0)” as the authentication method, which needs no password here.';
const smtpAuthDisabledHelp = 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission';

type Provider = 'office365' | 'gmail' | 'other';

function providerOf(host: string): Provider {
  const name = host.toLowerCase();
  if (/(^|\.)office365\.com$|(^|\.)outlook\.com$|(^|\.)office\.com$|protection\.outlook\.com$/.test(name)) return 'office365';
  if (/(^|\.)gmail\.com$|(^|\.)googlemail\.com$|(^|\.)google\.com$/.test(name)) return 'gmail';
  return 'other';
}

interface SmtpFailure {
  readonly code: string;
  readonly responseCode: number;
  readonly response: string;
  readonly command: string;
  readonly text: string;
}

function fieldsOf(cause: unknown): SmtpFailure {
  const record = (typeof cause === 'object' && cause !== null ? cause : {}) as Record<string, unknown>;
  const nested = (record['cause'] ?? {}) as Record<string, unknown>;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    code: text(record['code']) || text(nested['code']),
    responseCode: typeof record['responseCode'] === 'number' ? record['responseCode'] : 0,
    response: text(record['response']),
    command: text(record['command']),
    text: `${text(record['code'])} ${text(nested['code'])} ${text(record['message'])} ${text(record['response'])} ${text(nested['message'])} ${text(record['reason'])}`,
  };
}

/**
 * The one table from an SMTP failure (nodemailer's code, the server's reply, Node's socket or TLS code)
 * to a sentence and a fix. Each row has a test (test/unit/smtp-errors.test.ts) and an e2e screenshot.
 */
export function smtpErrorOf(cause: unknown, { settings, certificate, tlsDetected = false }: SmtpErrorContext): AppError {
  const failure = fieldsOf(cause);
  const { serverName: host, port, security } = settings;
  const where = `${host}:${port}`;
  const provider = providerOf(host);
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
    const appPassword = provider === 'office365' ? microsoftAppPasswordSteps : provider === 'gmail' ? googleAppPasswordSteps : '';
    return {
      code: ErrorCode.SmtpAuthFailed,
      message: `The mail server did not accept the user name or password (${failure.responseCode || 'authentication failed'}).`,
      fix: `Check the User Name (usually the full email address) and the Password. ${appPassword ? `${appPassword} ` : ''}${provider === 'other' ? '' : switchToModern}`.trim(),
    };
  }

  // Certificates.
  if (/DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_HAS_EXPIRED|CERT_UNTRUSTED|ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match|self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate|certificate has expired/i.test(text)) {
    const expired = /CERT_HAS_EXPIRED|certificate has expired/i.test(text);
    return {
      code: ErrorCode.UntrustedCertificate,
      message: expired
        ? `The mail server ${where} presented an expired security certificate, so Mail Settings did not send your password.`
        : `The mail server ${where} presented a security certificate that this computer does not trust, so Mail Settings did not send your password.`,
      fix: certificate
        ? `Ask your IT team whether this is their server’s certificate: SHA-256 fingerprint ${certificate.fingerprint256}. If they confirm it, click “Trust this certificate”. Otherwise check the Server Name.`
        : 'Check the Server Name; if it is right, ask your IT team to install a certificate from a trusted authority on the mail server.',
      ...(certificate ? { certificate } : {}),
    };
  }
  if (/CERTIFICATE_CHANGED/.test(text)) {
    return {
      code: ErrorCode.CertificateChanged,
      message: `The mail server ${where} now shows a different certificate from the one you trusted, so Mail Settings did not connect.`,
      fix: 'This can mean the server was replaced, or that someone is intercepting the connection. Ask your IT team; if they confirm the new certificate, trust it again.',
      ...(certificate ? { certificate } : {}),
    };
  }

  // TLS mode against the port.
  if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long|unknown protocol/i.test(text)) {
    return {
      code: ErrorCode.TlsOnPlainPort,
      message: `Mail Settings started SSL/TLS at once on port ${port}, but the server there expects a plain start.`,
      fix: `Port 465 expects SSL on; 587 uses STARTTLS. ${port === 587 || port === 25 ? `For port ${port}, set SSL to STARTTLS.` : 'Set SSL to STARTTLS, or change the port to 465.'}`,
    };
  }
  const greetingTimeout = /Greeting never received|GREETING_TIMEOUT/i.test(text);
  if (security !== 'tls' && greetingTimeout && (tlsDetected || port === 465)) {
    return {
      code: ErrorCode.PlainOnTlsPort,
      message: `The server on port ${port} did not greet Mail Settings: it most likely expects SSL/TLS from the first byte.`,
      fix: `Port 465 expects SSL on; 587 uses STARTTLS. ${port === 465 ? 'For port 465, set SSL to SSL/TLS.' : 'Set SSL to SSL/TLS, or use port 587 with STARTTLS.'}`,
    };
  }
  if (/STARTTLS|ETLS/i.test(failure.code) || /does not support STARTTLS|STARTTLS.*not|no STARTTLS/i.test(text)) {
    return {
      code: ErrorCode.StartTlsUnavailable,
      message: `The server ${where} does not offer STARTTLS, so the connection could not be secured.`,
      fix: 'Port 465 expects SSL on; 587 uses STARTTLS. Check the port and SSL choice with your mail provider. Choose “None” only for a server inside your own network.',
    };
  }

  // Reaching the server.
  if (failure.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(text)) {
    return {
      code: ErrorCode.UnknownHost,
      message: `No server called “${host}” could be found.`,
      fix: 'Check the spelling of the Server Name (for example smtp.office365.com or smtp.gmail.com) and that this computer is connected to the internet.',
    };
  }
  if (/ECONNREFUSED/.test(text)) {
    return {
      code: ErrorCode.ConnectionRefused,
      message: `The server ${host} refused the connection on port ${port}.`,
      fix: 'Check the port number (587 with STARTTLS or 465 with SSL/TLS are usual). A firewall may also block outgoing mail ports: ask your IT team.',
    };
  }
  if (greetingTimeout) {
    return {
      code: ErrorCode.ConnectionTimedOut,
      message: `The server ${where} accepted the connection but never greeted Mail Settings.`,
      fix: 'Check the Server Name and port: another service may listen there, or the server is overloaded. Port 465 expects SSL on; 587 uses STARTTLS.',
    };
  }
  if (failure.code === 'ETIMEDOUT' || /timed? ?out|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/i.test(text)) {
    return {
      code: ErrorCode.ConnectionTimedOut,
      message: `The server ${where} did not answer in time.`,
      fix: 'Check the Server Name and port, and the internet connection. A firewall may block outgoing mail ports (587, 465): ask your IT team.',
    };
  }

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
