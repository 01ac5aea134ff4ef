import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { AppError, Result } from '../../../shared/errors';

export interface NewMailWatcherDeps {
  /** The inbox's connection, signed in afresh each time (an OAuth token may have been renewed meanwhile). */
  readonly connection: () => Promise<Result<{ readonly connection: ImapFlowOptions; readonly mailbox: string }>>;
  readonly createClient: (options: ImapFlowOptions) => ImapFlow;
  /** New mail arrived (EXISTS grew), or the watch is back after a break in which some may have. */
  readonly onNewMail: () => void;
  /** The watch could not connect (it tries again later); said once until it connects again. */
  readonly onTrouble: (error: AppError | Error) => void;
  /** The first wait after a break, doubled after each failed try up to `longestWaitMs`. */
  readonly firstWaitMs?: number;
  readonly longestWaitMs?: number;
}

export interface NewMailWatcher {
  /** Logs out and tries no more; resolves once the connection is closed. */
  stop(): Promise<void>;
}

/**
 * RFC 2177: a client should end IDLE and start it again at least every 29 minutes, and many servers and
 * NAT boxes drop a quiet connection sooner; imapflow restarts IDLE after this long.
 */
const idleRestartMs = 4 * 60_000;
/**
 * imapflow starts IDLE after this long without commands (15 s by default, not to interrupt a caller's
 * sequence of commands); the watch sends none of its own after opening the mailbox.
 */
const idleStartDelayMs = 100;
/** Longer than an IDLE lasts, so a silent but healthy IDLE is never taken for a dead server. */
const idleSocketTimeoutMs = 10 * 60_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Watches an inbox's mailbox on a connection of its own, with IMAP IDLE (RFC 2177) where the server has
 * it (imapflow polls with NOOP where it has not), and says when new mail arrives. It only watches: it
 * opens the mailbox read-only (EXAMINE, RFC 3501 6.3.2), takes no retrieval lock and keeps nothing, so a
 * run (the app's, or a `retrieve` from the command line) goes on beside it. A dropped connection is
 * reopened after a wait that grows while the server stays away.
 */
export function watchForNewMail(deps: NewMailWatcherDeps): NewMailWatcher {
  const firstWaitMs = deps.firstWaitMs ?? 2_000;
  const longestWaitMs = deps.longestWaitMs ?? 5 * 60_000;
  const stopping = new AbortController();
  let client: ImapFlow | null = null;
  let troubleSaid = false;

  /** One connection, until it closes. Resolves whether it got as far as watching. */
  const watchOnce = async (afterBreak: boolean): Promise<boolean> => {
    const connection = await deps.connection();
    if (!connection.ok) {
      if (!troubleSaid) deps.onTrouble(connection.error);
      troubleSaid = true;
      return false;
    }
    if (stopping.signal.aborted) return false;
    const current = deps.createClient({
      ...connection.value.connection,
      logger: false,
      disableAutoIdle: false,
      maxIdleTime: idleRestartMs,
      autoIdleDelay: idleStartDelayMs,
      socketTimeout: idleSocketTimeoutMs,
    });
    client = current;
    const closed = new Promise<void>((resolve) => current.once('close', () => resolve()));
    current.on('error', () => undefined);
    current.on('exists', (data: { readonly count: number; readonly prevCount: number }) => {
      if (data.count > data.prevCount) deps.onNewMail();
    });
    try {
      await current.connect();
      await current.mailboxOpen(connection.value.mailbox, { readOnly: true });
    } catch (error) {
      if (!troubleSaid && !stopping.signal.aborted) deps.onTrouble(error instanceof Error ? error : new Error(String(error)));
      troubleSaid = true;
      current.close();
      return false;
    }
    troubleSaid = false;
    if (afterBreak) deps.onNewMail();
    await closed;
    return true;
  };

  const running = (async () => {
    let failures = 0;
    let afterBreak = false;
    while (!stopping.signal.aborted) {
      // A keychain or sign-in that throws is trouble like any other: told, and tried again later.
      const watched = await watchOnce(afterBreak).catch((error: unknown) => {
        if (!troubleSaid) deps.onTrouble(error instanceof Error ? error : new Error(String(error)));
        troubleSaid = true;
        return false;
      });
      if (stopping.signal.aborted) break;
      afterBreak = true;
      failures = watched ? 0 : failures + 1;
      await sleep(Math.min(longestWaitMs, firstWaitMs * 2 ** failures), stopping.signal);
    }
  })();

  return {
    stop: async () => {
      stopping.abort();
      const current = client;
      if (current?.usable) {
        await current.logout().catch(() => current.close());
      } else {
        current?.close();
      }
      await running;
    },
  };
}
