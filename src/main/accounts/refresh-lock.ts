import { join } from 'node:path';
import type { AccountId } from '../../shared/accounts';
import { ErrorCode, type AppError } from '../../shared/errors';
import type { HeldLock } from '../locks/file-lock';
import { waitForFileLock } from '../locks/wait-for-file-lock';

/**
 * One token refresh per mailbox at a time across every process on the data directory (the app, `serve`,
 * a cron `retrieve`), which share its keychain entries. Providers rotate refresh tokens: each is good for
 * one refresh, and a reused one makes the provider revoke the whole grant (RFC 6819 §5.2.2.3; RFC 9700
 * §4.14.2; Entra and Google do). Two processes refreshing with the same refresh token would kill the
 * sign-in; the second must wait, then read the keychain again and use what the first one stored.
 */

/**
 * `<dataDir>/locks/refresh-<mailbox>.lock`, beside the retrieval locks (`<inbox>.lock`). An added
 * mailbox's `integration:<id>` becomes `integration-<id>`: ':' is not allowed in Windows file names.
 */
export function refreshLockPathOf(dataDir: string, mailbox: AccountId): string {
  return join(dataDir, 'locks', `refresh-${mailbox.replace(':', '-')}.lock`);
}

/** A refresh is one round trip to the provider: a holder silent for this long is gone. */
const refreshLockStaleAfterMs = 60_000;
/** Longer than the staleness bound, so a holder that crashed on another computer is taken over before anyone gives up. */
const refreshLockMaxWaitMs = 2 * refreshLockStaleAfterMs;

export function waitForRefreshLock(dataDir: string, mailbox: AccountId): Promise<HeldLock | null> {
  return waitForFileLock(refreshLockPathOf(dataDir, mailbox), { staleAfterMs: refreshLockStaleAfterMs, maxWaitMs: refreshLockMaxWaitMs });
}

/** Another process has been refreshing this mailbox's sign-in for minutes: it waits on the provider, so this would too. */
export const refreshStillRunningElsewhere: AppError = {
  code: ErrorCode.IdentityProviderUnreachable,
  message: 'Another Mail Settings program on this computer has been renewing this mailbox’s sign-in for minutes without an answer from the sign-in service.',
  fix: 'Check the internet connection, then try again. If it keeps happening, close the other Mail Settings windows and scheduled tasks and try again.',
};
