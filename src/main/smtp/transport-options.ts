import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { MailServerConnection } from '../../shared/mail-server';
import type { MailAuth } from '../mail/mail-auth';
import { tlsOptionsFor } from '../mail/tls-options';
import type { TrustedCertificate } from '../settings/settings-schema';

/** Bounded times: an unreachable server gets its verdict well inside 10 seconds (issue: Test Connection). */
export const smtpTimeouts = { connectionTimeout: 7000, greetingTimeout: 7000, socketTimeout: 20_000, dnsTimeout: 5000 } as const;

/**
 * nodemailer options for an SMTP connection: TLS always verified (implicit TLS, required STARTTLS, or none
 * when the user chose None), and a server certificate the user trusted pinned by its fingerprint.
 */
export function transportOptions(connection: MailServerConnection, auth: MailAuth, trusted: TrustedCertificate | null): SMTPTransportOptions {
  return {
    host: connection.serverName,
    port: connection.port,
    secure: connection.security === 'tls',
    requireTLS: connection.security === 'starttls',
    ignoreTLS: connection.security === 'none',
    ...smtpTimeouts,
    name: 'mail-settings.localhost',
    tls: tlsOptionsFor(connection.serverName, trusted),
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
