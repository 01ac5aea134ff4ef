/**
 * `--interval` values: one or more amounts with a unit, largest first ("30s", "5m", "1h", "1h30m").
 * A bare number is refused rather than guessed at (seconds? minutes?).
 */

export type IntervalParse = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

const unitMs = { h: 3_600_000, m: 60_000, s: 1_000 } as const;
/** Below a second the service would only hammer the mail server. */
export const shortestIntervalMs = 1_000;
/** A day: mail left longer than that is not "scheduled retrieval"; also far below setTimeout's 24.8-day limit. */
export const longestIntervalMs = 24 * 3_600_000;

const wellFormed = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export function parseInterval(text: string): IntervalParse {
  const trimmed = text.trim().toLowerCase();
  const match = wellFormed.exec(trimmed);
  if (!match || trimmed === '') {
    return { ok: false, message: `“${text}” is not an interval. Write it as a number and a unit: 30s, 5m, 1h (or 1h30m).` };
  }
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  const ms = Number(hours) * unitMs.h + Number(minutes) * unitMs.m + Number(seconds) * unitMs.s;
  if (ms < shortestIntervalMs) return { ok: false, message: `The interval must be at least 1s (“${text}” is shorter).` };
  if (ms > longestIntervalMs) return { ok: false, message: `The interval must be at most 24h (“${text}” is longer).` };
  return { ok: true, ms };
}

/** 90_000 → "1m30s"; 2_500 → "2.5s" (durations of runs are not whole seconds). */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(ms < 10_000 ? 1 : 0))}s`;
  const whole = Math.round(ms / 1_000);
  const hours = Math.floor(whole / 3_600);
  const minutes = Math.floor((whole % 3_600) / 60);
  const seconds = whole % 60;
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${seconds > 0 ? `${seconds}s` : ''}` || '0s';
}
