/**
 * imapflow recognises Office 365's "Request is throttled. Suggested Backoff Time: N milliseconds" itself
 * and waits it out inside the run (up to 5 minutes per answer, and a throttled FETCH is retried up to four
 * times): a run could sit for twenty minutes holding the inbox's lock. Told through its logger (the
 * "Throttling detected" entry), this ends the session at once instead, so the run stops with THROTTLED and
 * the next scheduled run waits the server's time (its `retryAfterMs`).
 */
export interface ThrottleStop {
  /** The logger to give imapflow: passes entries on to the caller's logger, if any. */
  readonly logger: Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', (entry: unknown) => void>;
  /** The wait the server asked for, once it throttled this session; null until then. */
  readonly suggestedMs: () => number | null;
}

type LevelLogger = Partial<Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', (entry: unknown) => void>>;

export function throttleStop(callerLogger: unknown, stopSession: () => void): ThrottleStop {
  const passOn: LevelLogger = typeof callerLogger === 'object' && callerLogger !== null ? (callerLogger as LevelLogger) : {};
  let suggested: number | null = null;
  const level = (name: keyof LevelLogger) => (entry: unknown) => passOn[name]?.call(passOn, entry);
  return {
    logger: {
      trace: level('trace'),
      debug: level('debug'),
      info: level('info'),
      warn: (entry) => {
        const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as { msg?: unknown; throttleDelay?: unknown };
        if (fields.msg === 'Throttling detected' && typeof fields.throttleDelay === 'number' && suggested === null) {
          suggested = fields.throttleDelay;
          // After imapflow has started its wait, so that closing the session also ends the wait.
          setImmediate(stopSession);
        }
        passOn.warn?.call(passOn, entry);
      },
      error: level('error'),
      fatal: level('fatal'),
    },
    suggestedMs: () => suggested,
  };
}
