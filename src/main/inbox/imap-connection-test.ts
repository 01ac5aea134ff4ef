import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { ErrorCode, type AppError } from '../../shared/errors';
import { defaultFolder, inboxLabels, type InboxSettings } from '../../shared/inbox';
import { describeError, type Logger } from '../log/logger';
import { connectionErrorOf } from '../mail/connection-errors';
import { diagnoseConnectionFailure } from '../mail/connection-diagnosis';
import { failureFieldsOf } from '../mail/failure-fields';
import type { TrustedCertificate } from '../settings/settings-schema';
import { imapErrorOf } from './imap-errors';
import { throttleStop } from './retrieval/throttle-stop';
import { throttledError } from './server-throttling';

const logoutTimeoutMs = 5_000;

/** Signed in, but the account has no folder of that name: the Folder field is wrong. */
export class FolderMissing extends Error {
  constructor(readonly folder: string, readonly listed: readonly string[]) {
    super(`There is no folder ${folder}`);
  }
}

/** The server throttled the test (Office 365): say so with its wait, rather than wait it out in the dialog. */
export class ServerThrottled extends Error {
  constructor(readonly suggestedMs: number) {
    super('The server throttled the connection test');
  }
}

/**
 * Test Connection for an inbox (seed 002): connect, TLS, CAPABILITY, LOGIN or AUTHENTICATE, LOGOUT; with
 * a `folder` other than INBOX, also LIST, to say whether it exists. No mailbox is opened and nothing is
 * read or changed. Resolves with null when it all worked.
 */
export async function tryImapSignIn(options: ImapFlowOptions, folder: string = defaultFolder): Promise<unknown> {
  // imapflow would sit out a throttled answer's wait (minutes) with the user watching: stop and say it.
  const throttle = throttleStop(options.logger, () => client.close());
  const client = new ImapFlow({ ...options, logger: throttle.logger });
  // imapflow reports socket trouble as an 'error' event too; connect() rejects with it.
  client.on('error', () => undefined);
  const failed = async (error: unknown, otherwise: string): Promise<unknown> => {
    client.close();
    // The close that ends a throttled wait may be processed just after the failing answer.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const throttledMs = throttle.suggestedMs();
    return throttledMs !== null ? new ServerThrottled(throttledMs) : (error ?? new Error(otherwise));
  };
  try {
    await client.connect();
  } catch (error) {
    return failed(error, 'The connection failed.');
  }
  let missing: FolderMissing | null = null;
  if (folder.toUpperCase() !== defaultFolder) {
    try {
      const listed = (await client.list()).filter((mailbox) => !mailbox.flags.has('\\Noselect') && !mailbox.flags.has('\\NonExistent')).map((mailbox) => mailbox.path);
      if (!listed.includes(folder)) missing = new FolderMissing(folder, listed);
    } catch (error) {
      return failed(error, 'The server did not list its folders.');
    }
  }
  // Signed in: the test succeeded (or found the folder missing). LOGOUT is courtesy (RFC 3501 6.1.3); a server that never answers it
  // must not turn a success into a failure.
  const timer = setTimeout(() => client.close(), logoutTimeoutMs);
  try {
    await client.logout();
  } catch {
    client.close();
  } finally {
    clearTimeout(timer);
  }
  return missing;
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
export async function explainImapFailure(error: unknown, connection: Pick<InboxSettings, 'serverName' | 'port' | 'security' | 'authMethod'>, deps: ImapExplainDeps): Promise<AppError> {
  if (error instanceof FolderMissing) return folderMissingError(error);
  if (error instanceof ServerThrottled) return throttledError(connection.serverName, error.suggestedMs);
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

function folderMissingError({ folder, listed }: FolderMissing): AppError {
  const some = listed.slice(0, 12).join(', ');
  const message = `The sign-in worked, but this mailbox has no folder “${folder}”.`;
  return {
    code: ErrorCode.MailboxUnavailable,
    message,
    fix: `Enter the folder exactly as your mail program shows its full path${some ? ` (this mailbox has: ${some}${listed.length > 12 ? ', …' : ''})` : ''}, or ${defaultFolder}.`,
    fieldErrors: { folder: `There is no folder “${folder}” in this mailbox. Check the ${inboxLabels.folder} name.` },
  };
}
