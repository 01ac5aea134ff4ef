import type { StoredAdmin } from './admin-store';

/**
 * Wrong attempts (password or security number) lock an administrator out: after 5, for 5 minutes; each
 * further lock lasts twice the one before, up to an hour. A completed sign-in starts the count again.
 * Slows down guessing (RFC 6238 section 5.2 asks for it on the second factor) without locking anyone out
 * for good.
 */

export const attemptsBeforeLock = 5;
export const firstLockMs = 5 * 60_000;
export const longestLockMs = 60 * 60_000;

/** Milliseconds left of the admin's lock at `now`; 0 when not locked. */
export function lockLeftMs(admin: StoredAdmin, now: Date): number {
  if (admin.lockedUntil === null) return 0;
  return Math.max(0, Date.parse(admin.lockedUntil) - now.getTime());
}

/** The admin after one more wrong attempt: locked when it was the fifth. */
export function afterWrongAttempt(admin: StoredAdmin, now: Date): StoredAdmin {
  const failedAttempts = admin.failedAttempts + 1;
  if (failedAttempts < attemptsBeforeLock) return { ...admin, failedAttempts };
  const lockMs = Math.min(longestLockMs, firstLockMs * 2 ** admin.locks);
  return { ...admin, failedAttempts: 0, locks: admin.locks + 1, lockedUntil: new Date(now.getTime() + lockMs).toISOString() };
}

export function afterSignIn(admin: StoredAdmin): StoredAdmin {
  return { ...admin, failedAttempts: 0, locks: 0, lockedUntil: null };
}
