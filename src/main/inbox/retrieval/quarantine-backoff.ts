/**
 * When a message whose fetch failed is tried again: 15 minutes after the first failure, then twice as
 * long after each further one, at most a day apart. A message the server cannot serve must not cost
 * every run a failing round trip, nor be given up on.
 */
export const firstRetryAfterMs = 15 * 60_000;
export const longestRetryAfterMs = 24 * 3_600_000;

export function retryDelayMs(attempts: number): number {
  const doublings = Math.max(0, attempts - 1);
  return Math.min(longestRetryAfterMs, firstRetryAfterMs * 2 ** Math.min(doublings, 20));
}
