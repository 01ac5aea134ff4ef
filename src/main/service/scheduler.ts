/**
 * Runs tasks again and again, each at its own interval, on injected timers (a test plays the clock).
 * - Every task runs once at start, then again `everyMs` after its previous run started; a run that took
 *   longer than that is followed at once by the next one (a mailbox filling faster than it is emptied).
 * - A failed run is retried only a whole interval after it ended: a server that is down, or that takes
 *   longer than the interval to time out, is never asked again and again back to back.
 * - A task never overlaps itself. Tasks are independent of each other: one inbox's slow or unreachable
 *   server never holds up another's mail.
 * - A failure that says when to try again (a server's throttling) is retried no sooner than that.
 * - trigger() runs a task now (new mail announced by IMAP IDLE, a saved setting); during a run, once more
 *   right after it, so that what arrived meanwhile is not left for a whole interval.
 * - stop() schedules nothing more, asks the runs in flight to stop (their signal), and resolves when
 *   they have ended.
 */

/** A failed run whose server said how long to wait (Office 365's throttling) before asking again. */
export interface RetryLater {
  readonly retryAfterMs: number;
}

export type RunOutcome = 'succeeded' | 'failed' | RetryLater;

export interface ScheduledTask {
  readonly name: string;
  /** Read after each run, so a task may follow a setting that changes while it is scheduled. */
  readonly everyMs: number;
  /** One run. `signal` is aborted when the scheduler stops. A rejection counts as a failure (onRunRejected). */
  run(signal: AbortSignal): Promise<RunOutcome>;
}

/** setTimeout and a clock, or a test's stand-ins. */
export interface SchedulerTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  readonly tasks: readonly ScheduledTask[];
  readonly timers: SchedulerTimers;
  /** A run that threw instead of reporting its failure: a bug, told to the log; the task goes on. */
  readonly onRunRejected: (task: string, error: unknown) => void;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** The tasks running right now, by name. */
  inFlight(): readonly string[];
  /** Runs the named task now, or right after its run in flight; nothing for an unknown name or once stopped. */
  trigger(name: string): void;
}

function delayAfter(outcome: RunOutcome, everyMs: number, startedAt: number, now: number): number {
  if (outcome === 'succeeded') return startedAt + everyMs - now;
  if (outcome === 'failed') return everyMs;
  return Math.max(everyMs, outcome.retryAfterMs);
}

export const realTimers: SchedulerTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { timers } = options;
  const stopping = new AbortController();
  const pending = new Map<string, unknown>();
  const running = new Map<string, Promise<void>>();
  const triggeredWhileRunning = new Set<string>();
  const byName = new Map(options.tasks.map((task) => [task.name, task]));

  const schedule = (task: ScheduledTask, delayMs: number): void => {
    if (stopping.signal.aborted) return;
    pending.set(task.name, timers.setTimeout(() => {
      pending.delete(task.name);
      runOnce(task);
    }, Math.max(0, delayMs)));
  };

  const runOnce = (task: ScheduledTask): void => {
    if (stopping.signal.aborted || running.has(task.name)) return;
    const startedAt = timers.now();
    let ended = (): void => undefined;
    running.set(task.name, new Promise<void>((resolve) => (ended = resolve)));
    void (async () => {
      let outcome: RunOutcome;
      try {
        outcome = await task.run(stopping.signal);
      } catch (error) {
        options.onRunRejected(task.name, error);
        outcome = 'failed';
      }
      running.delete(task.name);
      const again = triggeredWhileRunning.delete(task.name);
      schedule(task, again ? 0 : delayAfter(outcome, task.everyMs, startedAt, timers.now()));
      ended();
    })();
  };

  return {
    start: () => {
      for (const task of options.tasks) runOnce(task);
    },
    stop: async () => {
      stopping.abort();
      for (const handle of pending.values()) timers.clearTimeout(handle);
      pending.clear();
      await Promise.all(running.values());
    },
    inFlight: () => [...running.keys()],
    trigger: (name) => {
      const task = byName.get(name);
      if (!task || stopping.signal.aborted) return;
      if (running.has(name)) {
        triggeredWhileRunning.add(name);
        return;
      }
      timers.clearTimeout(pending.get(name));
      pending.delete(name);
      runOnce(task);
    },
  };
}
