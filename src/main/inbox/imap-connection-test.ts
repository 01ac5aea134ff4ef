import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { ErrorCode, type AppError } from '../../shared/errors';
import type { InboxSettings } from '../../shared/inbox';
import { describeError, type Logger } from '../log/logger';
import { connectionErrorOf } from '../mail/connection-errors';
import { diagnoseConnectionFailure } from '../mail/connection-diagnosis';
import { failureFieldsOf } from '../mail/failure-fields';
import type { TrustedCertificate } from '../settings/settings-schema';
import { imapErrorOf } from './imap-errors';

const logoutTimeoutMs = 5_000;

/**
 * Test Connection for an inbox (seed 002): connect, TLS, CAPABILITY, LOGIN or AUTHENTICATE, LOGOUT. No
 * mailbox is opened and nothing is read or changed. Resolves with null when it all worked.
 */
export async function tryImapSignIn(options: ImapFlowOptions): Promise<unknown> {
  const client = new ImapFlow(options);
  // imapflow reports socket trouble as an 'error' event too; connect() rejects with it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    client.close();
    return error ?? new Error('The connection failed.');
  }
  // Signed in: the test succeeded. LOGOUT is courtesy (RFC 3501 6.1.3); a server that never answers it
  // must not turn a success into a failure.
  const timer = setTimeout(() => client.close(), logoutTimeoutMs);
  try {
    await client.logout();
  } catch {
    client.close();
  } finally {
    clearTimeout(timer);
  }
  return null;
}

export interface ImapExplainDeps {
  readonly trusted: (key: string) => TrustedCertificate | null;
  readonly logger: Logger;
}

/**
 * A failed sign-in in the user's words: the IMAP table (inbox/imap-errors.ts), asking the server again
 * where the error alone cannot tell, and with the certificate the server showed, so the user can trust it
 * by its fingerprint as in Send Direct.
 */
export async function explainImapFailure(error: unknown, connection: InboxSettings, deps: ImapExplainDeps): Promise<AppError> {
  const context = {
    host: connection.serverName,
    port: connection.port,
    security: connection.security,
    authMethod: connection.authMethod === 'password' ? ('password' as const) : ('token' as const),
    phase: 'connect' as const,
  };
  const mapped = await diagnoseConnectionFailure(error, {
    protocol: 'imap',
    connection,
    trusted: deps.trusted,
    errorOf: (cause, findings) => {
      // What the probes found (a certificate to show, a port that speaks TLS) is said by the shared rows.
      const probed = findings.certificate || findings.tlsDetected ? connectionErrorOf(failureFieldsOf(cause), { protocol: 'imap', connection, ...findings }) : null;
      return probed ?? imapErrorOf(cause, context);
    },
  });
  if (mapped.code === ErrorCode.Internal) deps.logger.warn('Unmapped IMAP failure', describeError(error));
  return mapped;
}
