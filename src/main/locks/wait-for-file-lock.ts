import { setTimeout as sleep } from 'node:timers/promises';
import { tryAcquireFileLock, type HeldLock, type LockOptions } from './file-lock';

export interface WaitOptions extends LockOptions {
  /** Give up after this long; the holder is then alive (its heartbeat goes on) but not finishing. */
  readonly maxWaitMs: number;
}

const firstPollMs = 10;
const longestPollMs = 200;

/**
 * Waits for the lock at `path` and takes it; null when `maxWaitMs` passed first. For short critical
 * sections (a token refresh is one HTTPS round trip): the file is polled, more slowly the longer the
 * wait, and a holder that died is taken over at once (tryAcquireFileLock breaks stale locks).
 */
export async function waitForFileLock(path: string, options: WaitOptions): Promise<HeldLock | null> {
  const giveUpAt = Date.now() + options.maxWaitMs;
  let pollMs = firstPollMs;
  for (;;) {
    const attempt = await tryAcquireFileLock(path, options);
    if (attempt.acquired) return attempt.lock;
    if (Date.now() >= giveUpAt) return null;
    await sleep(pollMs);
    pollMs = Math.min(longestPollMs, pollMs * 2);
  }
}
