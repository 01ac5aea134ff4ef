import type { ImapFlowOptions } from 'imapflow';
import type { MailServerConnection } from '../../shared/mail-server';
import { tlsOptionsFor } from '../mail/tls-options';
import type { TrustedCertificate } from '../settings/settings-schema';
import type { InboxSignIn } from './inbox-credentials';

/** Test Connection waits this long for the server, as Send Direct's does; a retrieval keeps imapflow's longer defaults. */
export const testConnectionTimeouts = { connectionTimeout: 20_000, greetingTimeout: 16_000, socketTimeout: 60_000 } as const;

/**
 * imapflow's options for an inbox: SSL/TLS from the first byte (RFC 8314, 993), or STARTTLS that must
 * succeed (RFC 3501 6.2.1, 143: `doSTARTTLS: true` fails the connection rather than going on in clear text
 * when an attacker strips STARTTLS from the capability list), or none (only with the user's allowance,
 * checked before this is built). The TLS options are every mail connection's (mail/tls-options.ts).
 */
export function imapClientOptions(
  connection: Pick<MailServerConnection, 'serverName' | 'port' | 'security'>,
  auth: InboxSignIn,
  trusted: TrustedCertificate | null,
): ImapFlowOptions {
  return {
    host: connection.serverName,
    port: connection.port,
    secure: connection.security === 'tls',
    doSTARTTLS: connection.security === 'starttls',
    auth: 'accessToken' in auth ? { user: auth.user, accessToken: auth.accessToken } : { user: auth.user, pass: auth.pass },
    tls: tlsOptionsFor(connection.serverName, trusted),
    logger: false,
    disableAutoIdle: true,
  };
}
