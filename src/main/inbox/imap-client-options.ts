import type { ImapFlowOptions } from 'imapflow';
import type { MailServerConnection } from '../../shared/mail-server';
import { tlsOptionsFor } from '../mail/tls-options';
import type { TrustedCertificate } from '../settings/settings-schema';
import type { InboxSignIn } from './inbox-credentials';

/** Test Connection waits this long for the server, as Send Direct's does. */
export const testConnectionTimeouts = { connectionTimeout: 20_000, greetingTimeout: 16_000, socketTimeout: 60_000 } as const;

/**
 * How long a retrieval waits for a server before it gives up with CONNECTION_LOST (or the connect
 * phase's own error), so that a run against a dead or hung server always ends; imapflow's defaults
 * (90 s to connect, 5 min of silence) would hold the inbox's lock and the progress bar that long.
 * - connectionTimeout: the TCP connection and the TLS handshake;
 * - greetingTimeout: the server's first line after it (RFC 3501 7.1.1 `* OK`);
 * - socketTimeout: silence while an answer is due. Data flowing (a 50 MB message on a slow line) is
 *   never silence; a SEARCH or EXPUNGE over a large mailbox may take a server a while before it says
 *   anything, hence not less than a minute and a half.
 */
export const retrievalTimeouts = { connectionTimeout: 30_000, greetingTimeout: 16_000, socketTimeout: 90_000 } as const;

/**
 * imapflow's options for an inbox: SSL/TLS from the first byte (RFC 8314, 993), or STARTTLS that must
 * succeed (RFC 3501 6.2.1, 143: `doSTARTTLS: true` fails the connection rather than going on in clear text
 * when an attacker strips STARTTLS from the capability list), or none (only with the user's allowance,
 * checked before this is built). The TLS options are every mail connection's (mail/tls-options.ts); the
 * timeouts a retrieval's (Test Connection puts its shorter ones over them).
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
    ...retrievalTimeouts,
  };
}
