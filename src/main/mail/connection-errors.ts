import { ErrorCode, type AppError, type CertificateSummary } from '../../shared/errors';
import { mailProtocolFacts, securityLabels, usualPorts, type MailProtocol, type MailServerConnection } from '../../shared/mail-server';
import { isGreetingTimeout, type FailureFields } from './failure-fields';

/** What a failure to connect needs to be explained: where, how, and the certificate, if one was seen. */
export interface ConnectionErrorContext {
  readonly protocol: MailProtocol;
  readonly connection: Pick<MailServerConnection, 'serverName' | 'port' | 'security'>;
  readonly certificate?: CertificateSummary;
  /** After a greeting timeout: the port answered a TLS handshake, so it expects SSL/TLS from the first byte. */
  readonly tlsDetected?: boolean;
}

/**
 * The rows every protocol shares: certificates, TLS against the port, and reaching the server. The same
 * words for SMTP and IMAP, with each protocol's ports and example servers. A protocol's own table
 * (smtp-errors.ts) asks its sign-in rows first and its message rows after these; null means no row matched.
 */
export function connectionErrorOf(failure: FailureFields, { protocol, connection, certificate, tlsDetected = false }: ConnectionErrorContext): AppError | null {
  const { serverName: host, port, security } = connection;
  const where = `${host}:${port}`;
  const facts = mailProtocolFacts[protocol];
  const { tls: tlsPort, starttls: startTlsPort } = facts.ports;
  const portRule = `Port ${tlsPort} expects SSL on; ${startTlsPort} uses STARTTLS.`;
  const [usual, other] = usualPorts(protocol);
  const withSecurity = (value: number): string => `${value} with ${value === tlsPort ? securityLabels.tls : securityLabels.starttls}`;
  const text = failure.text;

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
      fix: `${portRule} ${facts.plainStartPorts.includes(port) ? `For port ${port}, set SSL to STARTTLS.` : `Set SSL to STARTTLS, or change the port to ${tlsPort}.`}`,
    };
  }
  const greetingTimeout = isGreetingTimeout(failure);
  if (security !== 'tls' && greetingTimeout && (tlsDetected || port === tlsPort)) {
    return {
      code: ErrorCode.PlainOnTlsPort,
      message: `The server on port ${port} did not greet Mail Settings: it most likely expects SSL/TLS from the first byte.`,
      fix: `${portRule} ${port === tlsPort ? `For port ${tlsPort}, set SSL to SSL/TLS.` : `Set SSL to SSL/TLS, or use port ${startTlsPort} with STARTTLS.`}`,
    };
  }
  if (/STARTTLS|ETLS/i.test(failure.code) || /does not support STARTTLS|STARTTLS.*not|no STARTTLS/i.test(text)) {
    return {
      code: ErrorCode.StartTlsUnavailable,
      message: `The server ${where} does not offer STARTTLS, so the connection could not be secured.`,
      fix: `${portRule} Check the port and SSL choice with your mail provider. Choose “None” only for a server inside your own network.`,
    };
  }

  // Reaching the server.
  if (failure.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(text)) {
    return {
      code: ErrorCode.UnknownHost,
      message: `No server called “${host}” could be found.`,
      fix: `Check the spelling of the Server Name (for example ${facts.exampleHosts[0]} or ${facts.exampleHosts[1]}) and that this computer is connected to the internet.`,
    };
  }
  if (/ECONNREFUSED/.test(text)) {
    return {
      code: ErrorCode.ConnectionRefused,
      message: `The server ${host} refused the connection on port ${port}.`,
      fix: `Check the port number (${withSecurity(usual)} or ${withSecurity(other)} are usual). A firewall may also block ${facts.firewallPorts}: ask your IT team.`,
    };
  }
  if (greetingTimeout) {
    return {
      code: ErrorCode.ConnectionTimedOut,
      message: `The server ${where} accepted the connection but never greeted Mail Settings.`,
      fix: `Check the Server Name and port: another service may listen there, or the server is overloaded. ${portRule}`,
    };
  }
  if (failure.code === 'ETIMEDOUT' || /timed? ?out|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/i.test(text)) {
    return {
      code: ErrorCode.ConnectionTimedOut,
      message: `The server ${where} did not answer in time.`,
      fix: `Check the Server Name and port, and the internet connection. A firewall may block ${facts.firewallPorts} (${usual}, ${other}): ask your IT team.`,
    };
  }
  return null;
}
