import { integrationAccountOf } from '../../shared/accounts';
import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import type { ImapAccess, ImapTokenAuth } from '../accounts/imap-access';
import { integrationLabels, type IntegrationSettings } from '../../shared/integration';
import { inboxConnectionSucceeded } from '../../shared/inbox';
import { mailProtocolFacts, type MailServerConnection } from '../../shared/mail-server';
import type { Logger } from '../log/logger';
import { imapClientOptions, testConnectionTimeouts } from '../inbox/imap-client-options';
import { explainImapFailure, tryImapSignIn } from '../inbox/imap-connection-test';
import type { InboxSignIn } from '../inbox/inbox-credentials';
import { probeCertificate } from '../mail/certificate-probe';
import { trustedCertificateKey } from '../mail/tls-options';
import type { TrustedCertificate } from '../settings/settings-schema';

/**
 * Test Connection for an Email Integration credential (seed 002): the inboxes' IMAP sign-in test and error
 * table, said with this form's fields (Mailbox, Host, Use Secure Connection) instead of the inbox dialog's.
 */

export interface IntegrationTestDeps {
  readonly trusted: (key: string) => TrustedCertificate | null;
  readonly logger: Logger;
  /** How long to wait for the server; the inboxes' Test Connection timeouts unless a test shortens them. */
  readonly timeouts?: { readonly connectionTimeout: number; readonly greetingTimeout: number; readonly socketTimeout: number };
}

/**
 * The IMAP connection a credential stands for. "Use Secure Connection" on is IMAP over TLS from the first
 * byte (RFC 8314, port 993); off is a plain start that must turn into TLS with STARTTLS (RFC 3501 6.2.1):
 * the form has no "send my password unencrypted" choice, so a password never crosses the network in clear.
 * The user name is the Mailbox address.
 */
export function imapConnectionOf(settings: IntegrationSettings): Pick<MailServerConnection, 'serverName' | 'port' | 'security' | 'userName' | 'authMethod'> {
  return {
    serverName: settings.host,
    port: settings.port,
    security: settings.secure ? 'tls' : 'starttls',
    userName: settings.mailbox,
    authMethod: settings.authMethod,
  };
}

/**
 * A credential on Modern Authentication signs in with its own token (`integration:<id>`), which
 * accounts/imap-access.ts hands out only for its provider's mail servers and never in clear text (the
 * form has no "send it unencrypted" choice). Test Connection and runs both sign in through this.
 */
export function integrationTokenSignIn(imapAccess: Pick<ImapAccess, 'imapAccessFor'>, id: string, settings: IntegrationSettings): Promise<Result<ImapTokenAuth>> {
  return imapAccess.imapAccessFor(integrationAccountOf(id), { ...imapConnectionOf(settings), allowInsecureAuth: false });
}

const tlsProbeTimeoutMs = 1500;

/**
 * Connects, secures, signs in and logs out, reading nothing: as the Mailbox with its password, or with the
 * mailbox's own Modern Authentication token (SASL XOAUTH2 / OAUTHBEARER, RFC 7628).
 */
export async function testIntegrationConnection(settings: IntegrationSettings, signIn: InboxSignIn, deps: IntegrationTestDeps): Promise<Result<{ message: string }>> {
  const connection = imapConnectionOf(settings);
  // Seed 002's "Use Secure Connection cleared" case: a plain start on a port that speaks TLS from the
  // first byte gets no greeting, and would only say so after the greeting timeout. A TLS handshake
  // (no credentials) tells at once; a plain port answers it with its greeting, which fails the handshake.
  if (!settings.secure && (await probeCertificate({ protocol: 'imap', host: settings.host, port: settings.port, security: 'tls' }, tlsProbeTimeoutMs)) !== null) {
    return fail(inIntegrationWords({ code: ErrorCode.PlainOnTlsPort, message: 'The server expects SSL/TLS from the first byte.' }, settings));
  }
  const trusted = deps.trusted(trustedCertificateKey(connection));
  const options = { ...imapClientOptions(connection, signIn, trusted), ...(deps.timeouts ?? testConnectionTimeouts) };
  const failure = await tryImapSignIn(options);
  if (failure === null) return ok({ message: inboxConnectionSucceeded });
  const explained = await explainImapFailure(failure, connection, { trusted: deps.trusted, logger: deps.logger });
  return fail(inIntegrationWords(explained, settings));
}

const secureLabel = integrationLabels.secure;

/**
 * The IMAP table's answer with the Email Integration form's words: its fields are Host and Use Secure
 * Connection, not Server Name and SSL. The failures seed 002 lists get their own sentence and field.
 */
export function inIntegrationWords(error: AppError, settings: IntegrationSettings): AppError {
  const { tls: tlsPort, starttls: startTlsPort } = mailProtocolFacts.imap.ports;
  const where = `${settings.host}:${settings.port}`;
  switch (error.code) {
    // Seed 002: "most commonly caused when a secure connection is required, and the Use Secure Connection option is cleared".
    case ErrorCode.PlainOnTlsPort:
    case ErrorCode.TlsRequired:
      return {
        code: error.code,
        message: `The server ${where} wants a secure connection, and ${secureLabel} is cleared.`,
        fix: `Tick ${secureLabel}, then click Test Connection again.${settings.port === startTlsPort ? ` Most providers use port ${tlsPort} with it.` : ''}`,
        fieldErrors: { secure: `Tick ${secureLabel}: this server wants a secure connection.` },
      };
    case ErrorCode.StartTlsUnavailable:
      return {
        code: error.code,
        message: `The server ${where} offers no way to secure the connection on this port, so Mail Settings did not send the password.`,
        fix: `Tick ${secureLabel} and use the port your provider gives for IMAP over SSL/TLS (usually ${tlsPort}).`,
        fieldErrors: { secure: `Tick ${secureLabel}.` },
      };
    case ErrorCode.TlsOnPlainPort:
      return {
        code: error.code,
        message: `${secureLabel} is ticked, but the server on port ${settings.port} expects a plain start.`,
        fix: `Use port ${tlsPort} with ${secureLabel}, or clear ${secureLabel} for port ${settings.port} (the connection is then secured with STARTTLS).`,
        fieldErrors: { secure: `Clear ${secureLabel} for port ${settings.port}, or change the port to ${tlsPort}.` },
      };
    case ErrorCode.TokenHostNotAllowed:
      return { ...error, fix: withFormWords(error.fix), fieldErrors: { host: `Use your provider’s IMAP host, for example ${settings.authMethod === 'oauth-google' ? 'imap.gmail.com' : 'outlook.office365.com'}.` } };
    case ErrorCode.UnknownHost:
      return { ...error, fix: withFormWords(error.fix), fieldErrors: { host: 'No server by this name could be found. Check the spelling.' } };
    case ErrorCode.ImapAuthFailed:
      // A refused token is about the sign-in, not a password: the IMAP table's words for it stand.
      if (settings.authMethod !== 'password') return error;
      return {
        ...error,
        fix: withFormWords(error.fix)?.replace(/^Check the Username \(usually the full email address\) and the Password\./, `Check the ${integrationLabels.mailbox} and the ${integrationLabels.password} (it may be case sensitive).`),
        fieldErrors: { password: 'The mail server did not accept this password for the mailbox.' },
      };
    default:
      return { ...error, ...(error.fix === undefined ? {} : { fix: withFormWords(error.fix) }) };
  }
}

function withFormWords(text: string | undefined): string | undefined {
  return text
    ?.replaceAll('the Server Name', `the ${integrationLabels.host}`)
    .replaceAll('Server Name', integrationLabels.host)
    .replace(/set SSL to SSL\/TLS/gi, `tick ${secureLabel}`);
}
