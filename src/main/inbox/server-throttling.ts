import { ErrorCode, type AppError } from '../../shared/errors';

/**
 * Office 365 answers a client that opens too many connections or sends too much too fast with
 * "Request is throttled. Suggested Backoff Time: 299999 milliseconds" (as NO or BAD, to any command,
 * the sign-in included; Microsoft Learn, "Exchange Online limits"). Retrying sooner only extends it.
 */
const throttledText = /Request is throttled/i;
const suggestedBackoff = /Suggested Backoff Time:\s*(\d+)\s*(ms|milliseconds?)\b/i;

/** When the server gives no time, wait this long (the throttling windows Microsoft describes are minutes). */
export const defaultThrottleBackoffMs = 5 * 60_000;

/** The wait a throttled server asked for, in milliseconds; null when the text is not a throttling answer. */
export function suggestedBackoffMs(serverText: string): number | null {
  const stated = suggestedBackoff.exec(serverText);
  if (stated) return Number(stated[1]);
  return throttledText.test(serverText) ? defaultThrottleBackoffMs : null;
}

/** "45 seconds", "5 minutes", "2 hours": how long until the next attempt, rounded up. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

export function throttledError(host: string, retryAfterMs: number): AppError {
  return {
    code: ErrorCode.Throttled,
    message: `The mail server ${host} is limiting how often it can be asked for mail and asked us to wait ${waitText(retryAfterMs)}.`,
    fix: `Nothing is lost: the messages stay on the server. Retrieval tries again on its own in ${waitText(retryAfterMs)}; checking sooner only makes the server wait longer. If this happens often, make sure no other program reads this mailbox as often.`,
    retryAfterMs,
  };
}
