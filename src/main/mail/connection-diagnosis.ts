import { ErrorCode, type AppError, type CertificateSummary } from '../../shared/errors';
import type { MailProtocol, MailServerConnection } from '../../shared/mail-server';
import type { TrustedCertificate } from '../settings/settings-schema';
import { probeCertificate } from './certificate-probe';
import { failureFieldsOf, isGreetingTimeout } from './failure-fields';
import { trustedCertificateKey } from './tls-options';

/** What a second look at the server found out, for the protocol's table to say it. */
export interface ProbeFindings {
  readonly certificate?: CertificateSummary;
  readonly tlsDetected?: boolean;
}

export interface DiagnosisTarget {
  readonly protocol: MailProtocol;
  readonly connection: Pick<MailServerConnection, 'serverName' | 'port' | 'security'>;
  /** The certificate the user trusted for this host and port, if any. */
  readonly trusted: (key: string) => TrustedCertificate | null;
  /** The protocol's table (smtp-errors.ts): a failure and what the probes found, in the user's words. */
  readonly errorOf: (cause: unknown, findings: ProbeFindings) => AppError;
}

/**
 * Explains a failed connection, asking the server again (without credentials) where the error alone
 * cannot tell: silence after connecting may be a port that expects TLS at once, and an untrusted or
 * changed certificate is shown with its fingerprint so the user can decide whether to trust it.
 */
export async function diagnoseConnectionFailure(error: unknown, { protocol, connection, trusted, errorOf }: DiagnosisTarget): Promise<AppError> {
  const { serverName: host, port, security } = connection;
  let mapped = errorOf(error, {});
  if (mapped.code === ErrorCode.ConnectionTimedOut && security !== 'tls' && isGreetingTimeout(failureFieldsOf(error))) {
    // Silence after connecting: a port that expects SSL/TLS at once answers a TLS handshake. Ask it.
    const speaksTls = (await probeCertificate({ protocol, host, port, security: 'tls' }, 1500)) !== null;
    if (speaksTls) mapped = errorOf(error, { tlsDetected: true });
  }
  if (mapped.code === ErrorCode.UntrustedCertificate || mapped.code === ErrorCode.CertificateChanged) {
    const probed = await probeCertificate({ protocol, host, port, security });
    if (probed) {
      const pinned = trusted(trustedCertificateKey(connection));
      const changed = pinned !== null && pinned.fingerprint256 !== probed.summary.fingerprint256;
      mapped = errorOf(changed ? Object.assign(new Error('CERTIFICATE_CHANGED'), { code: 'CERTIFICATE_CHANGED' }) : error, { certificate: probed.summary });
    }
  }
  return mapped;
}
