import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import type { MailProtocol, MailServerConnection } from '../../shared/mail-server';
import type { SettingsStore } from '../settings/settings-store';
import { probeCertificate } from './certificate-probe';
import { trustedCertificateKey } from './tls-options';

export interface CertificateTrustDeps {
  readonly settings: Pick<SettingsStore, 'trustCertificate'>;
  readonly now: () => Date;
}

/**
 * "Trust this certificate": the server is asked again, and only if it still shows the certificate the
 * user saw (same fingerprint) is it stored as trusted for this host and port.
 */
export async function trustServerCertificate(
  { settings, now }: CertificateTrustDeps,
  protocol: MailProtocol,
  connection: Pick<MailServerConnection, 'serverName' | 'port' | 'security'>,
  fingerprint256: string,
): Promise<Result<void>> {
  const probed = await probeCertificate({ protocol, host: connection.serverName, port: connection.port, security: connection.security });
  if (!probed || probed.summary.fingerprint256 !== fingerprint256) {
    return fail({
      code: ErrorCode.CertificateChanged,
      message: 'The server no longer shows the certificate you were asked about, so it was not trusted.',
      fix: 'Click Test Connection again to see the certificate the server shows now.',
    });
  }
  settings.trustCertificate(trustedCertificateKey(connection), { fingerprint256, pem: probed.anchorPem, trustedAt: now().toISOString() });
  return ok(undefined);
}
