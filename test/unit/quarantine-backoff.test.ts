import { describe, expect, it } from 'vitest';
import { firstRetryAfterMs, longestRetryAfterMs, retryDelayMs } from '../../src/main/inbox/retrieval/quarantine-backoff';

describe('the back-off of a message whose fetch failed', () => {
  it('waits 15 minutes, then twice as long after each failure, never more than a day', () => {
    expect(retryDelayMs(1)).toBe(firstRetryAfterMs);
    expect(retryDelayMs(2)).toBe(30 * 60_000);
    expect(retryDelayMs(3)).toBe(60 * 60_000);
    expect(retryDelayMs(7)).toBe(16 * 3_600_000);
    expect(retryDelayMs(8)).toBe(longestRetryAfterMs);
    expect(retryDelayMs(500)).toBe(longestRetryAfterMs);
  });
});
