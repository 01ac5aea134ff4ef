/**
 * Runs tasks again and again, each at its own interval, on injected timers (a test plays the clock).
 * - Every task runs once at start, then again `everyMs` after its previous run started; a run that took
 *   longer than that is followed at once by the next one (a mailbox filling faster than it is emptied).
 * - A failed run is retried only a whole interval after it ended: a server that is down, or that takes
 *   longer than the interval to time out, is never asked again and again back to back.
 * - A task never overlaps itself. Tasks are independent of each other: one inbox's slow or unreachable
 *   server never holds up another's mail.
 * - stop() schedules nothing more, asks the runs in flight to stop (their signal), and resolves when
 *   they have ended.
 */

export type RunOutcome = 'succeeded' | 'failed';

export interface ScheduledTask {
  readonly name: string;
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
      schedule(task, outcome === 'failed' ? task.everyMs : startedAt + task.everyMs - timers.now());
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
  };
}
