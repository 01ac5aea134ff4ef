import { rootCertificates, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { MailServerConnection } from '../../shared/mail-server';
import type { TrustedCertificate } from '../settings/settings-schema';

/** The name sent as SNI and checked against the certificate; none for an IP address (RFC 6066 §3). */
export function tlsServerName(host: string): string | undefined {
  return /^[\d.:[\]]+$/.test(host) ? undefined : host;
}

/** How a certificate the user trusted is filed: by host and port, for every protocol alike. */
export function trustedCertificateKey(connection: Pick<MailServerConnection, 'serverName' | 'port'>): string {
  return `${connection.serverName}:${connection.port}`;
}

/**
 * The TLS options of every mail connection (SMTP and IMAP, implicit TLS or STARTTLS): always verified,
 * TLS 1.2 at least (RFC 8314 §4.1), and a server certificate the user trusted pinned by its fingerprint.
 */
export function tlsOptionsFor(host: string, trusted: TrustedCertificate | null): ConnectionOptions {
  const servername = tlsServerName(host);
  return {
    minVersion: 'TLSv1.2',
    ...(servername ? { servername } : {}),
    ...(trusted
      ? {
          ca: [...rootCertificates, trusted.pem],
          // The user trusted exactly this certificate for this server: anything else is refused.
          checkServerIdentity: (_host: string, certificate: PeerCertificate) =>
            certificate.fingerprint256 === trusted.fingerprint256
              ? undefined
              : Object.assign(new Error('CERTIFICATE_CHANGED: the server certificate is not the trusted one'), { code: 'CERTIFICATE_CHANGED' }),
        }
      : {}),
  };
}
