import { rootCertificates, type PeerCertificate } from 'node:tls';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { SendDirectSettings } from '../../shared/send-direct';
import type { TrustedCertificate } from '../settings/settings-schema';

/** Bounded times: an unreachable server gets its verdict well inside 10 seconds (issue: Test Connection). */
export const smtpTimeouts = { connectionTimeout: 7000, greetingTimeout: 7000, socketTimeout: 20_000, dnsTimeout: 5000 } as const;

export type SmtpAuth =
  | { readonly kind: 'password'; readonly user: string; readonly password: string }
  | {
      readonly kind: 'xoauth2';
      readonly user: string;
      /** Called for a token, and again with renew=true when the server refused the first one (535). */
      readonly token: (renew: boolean) => Promise<string>;
    };

/**
 * nodemailer options for Send Direct: TLS always verified (implicit TLS, required STARTTLS, or none when
 * the user chose None), and a server certificate the user trusted pinned by its fingerprint.
 */
export function transportOptions(settings: SendDirectSettings, auth: SmtpAuth, trusted: TrustedCertificate | null): SMTPTransportOptions {
  const servername = /^[\d.:[\]]+$/.test(settings.serverName) ? undefined : settings.serverName;
  return {
    host: settings.serverName,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...smtpTimeouts,
    name: 'mail-settings.localhost',
    tls: {
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
    },
    auth:
      auth.kind === 'password'
        ? { user: auth.user, pass: auth.password }
        : {
            type: 'OAuth2',
            user: auth.user,
            provisionCallback: (_user: string, renew: boolean, callback: (error: Error | null, token?: string) => void) => {
              auth.token(renew).then(
                (token) => callback(null, token),
                (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
              );
            },
          },
  };
}
