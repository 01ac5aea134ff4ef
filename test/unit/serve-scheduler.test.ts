import { describe, expect, it } from 'vitest';
import { createScheduler, type RunOutcome, type ScheduledTask, type SchedulerTimers } from '../../src/main/service/scheduler';

/** A clock the test moves by hand: timers fire in time order, and each one's follow-ups settle first. */
class ManualTimers implements SchedulerTimers {
  private time = 0;
  private nextId = 0;
  private readonly queue = new Map<number, { readonly at: number; readonly callback: () => void }>();

  now = (): number => this.time;
  setTimeout = (callback: () => void, ms: number): number => {
    this.nextId += 1;
    this.queue.set(this.nextId, { at: this.time + ms, callback });
    return this.nextId;
  };
  clearTimeout = (handle: unknown): void => {
    this.queue.delete(handle as number);
  };
  pendingCount(): number {
    return this.queue.size;
  }

  async advanceTo(until: number): Promise<void> {
    await settle();
    for (;;) {
      const due = [...this.queue.entries()].filter(([, timer]) => timer.at <= until).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
      if (!due) break;
      const [id, timer] = due;
      this.queue.delete(id);
      this.time = timer.at;
      timer.callback();
      await settle();
    }
    this.time = until;
  }
}

/** Lets every promise chain that is ready run to its end. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Recorded {
  readonly starts: number[];
  readonly ends: number[];
  maxAtOnce: number;
}

/** A task whose runs take `durationMs` on the manual clock and end with `outcomes[n]` (else success). */
function timedTask(timers: ManualTimers, name: string, everyMs: number, durationMs: number, outcomes: ReadonlyArray<RunOutcome | 'throw'> = []): { task: ScheduledTask; seen: Recorded } {
  const seen: Recorded = { starts: [], ends: [], maxAtOnce: 0 };
  let atOnce = 0;
  const task: ScheduledTask = {
    name,
    everyMs,
    run: () => {
      const n = seen.starts.length;
      seen.starts.push(timers.now());
      atOnce += 1;
      seen.maxAtOnce = Math.max(seen.maxAtOnce, atOnce);
      return new Promise((resolve, reject) => {
        timers.setTimeout(() => {
          atOnce -= 1;
          seen.ends.push(timers.now());
          const outcome = outcomes[n] ?? 'succeeded';
          if (outcome === 'throw') reject(new Error('a bug'));
          else resolve(outcome);
        }, durationMs);
      });
    },
  };
  return { task, seen };
}

describe('the service scheduler (on a manual clock)', () => {
  it('runs a task at once, then one interval after each start', async () => {
    const timers = new ManualTimers();
    const { task, seen } = timedTask(timers, 'lead', 5_000, 1_000);
    createScheduler({ tasks: [task], timers, onRunRejected: () => undefined }).start();
    await timers.advanceTo(21_000);
    expect(seen.starts).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
  });

  it('never overlaps a task with itself: a run longer than the interval is followed at once by the next', async () => {
    const timers = new ManualTimers();
    const { task, seen } = timedTask(timers, 'lead', 5_000, 7_000);
    createScheduler({ tasks: [task], timers, onRunRejected: () => undefined }).start();
    await timers.advanceTo(22_000);
    expect(seen.starts).toEqual([0, 7_000, 14_000, 21_000]);
    expect(seen.maxAtOnce).toBe(1);
  });

  it('retries a failed run a whole interval after it ended, a run that threw too (and says so), never back to back', async () => {
    const timers = new ManualTimers();
    const rejected: string[] = [];
    // Failures that take 3 s (a connection timing out), with a 5 s interval; then successes.
    const { task, seen } = timedTask(timers, 'lead', 5_000, 3_000, ['failed', 'throw', 'succeeded', 'succeeded']);
    createScheduler({ tasks: [task], timers, onRunRejected: (name, error) => rejected.push(`${name}: ${String(error)}`) }).start();
    await timers.advanceTo(30_000);
    expect(seen.starts.slice(0, 4)).toEqual([0, 8_000, 16_000, 21_000]);
    expect(rejected).toEqual(['lead: Error: a bug']);
  });

  it('keeps tasks independent: a slow inbox does not hold up the other', async () => {
    const timers = new ManualTimers();
    const slow = timedTask(timers, 'lead', 5_000, 12_000);
    const quick = timedTask(timers, 'service-desk', 5_000, 500);
    createScheduler({ tasks: [slow.task, quick.task], timers, onRunRejected: () => undefined }).start();
    await timers.advanceTo(15_000);
    expect(quick.seen.starts).toEqual([0, 5_000, 10_000, 15_000]);
    expect(slow.seen.starts).toEqual([0, 12_000]);
  });

  it('stop() asks the runs in flight to stop, waits for them, and starts nothing afterwards', async () => {
    const timers = new ManualTimers();
    const signals: AbortSignal[] = [];
    let finishRun: (outcome: RunOutcome) => void = () => undefined;
    const task: ScheduledTask = {
      name: 'lead',
      everyMs: 1_000,
      run: (signal) => {
        signals.push(signal);
        return new Promise((resolve) => (finishRun = resolve));
      },
    };
    const idle = timedTask(timers, 'accounts', 1_000, 100);
    const scheduler = createScheduler({ tasks: [task, idle.task], timers, onRunRejected: () => undefined });
    scheduler.start();
    await timers.advanceTo(1_500);
    expect(scheduler.inFlight()).toEqual(['lead']);

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await settle();
    expect(signals[0]?.aborted).toBe(true);
    expect(stopped).toBe(false);
    finishRun('succeeded');
    await stopping;
    expect(scheduler.inFlight()).toEqual([]);
    await timers.advanceTo(60_000);
    expect(signals).toHaveLength(1);
    expect(idle.seen.starts).toEqual([0, 1_000]);
    expect(timers.pendingCount()).toBe(0);
  });

  it('waits as long as a throttled server asked (longer than the interval), never less than the interval', async () => {
    const timers = new ManualTimers();
    const { task, seen } = timedTask(timers, 'lead', 5_000, 1_000, [{ retryAfterMs: 60_000 }, { retryAfterMs: 10 }, 'succeeded']);
    createScheduler({ tasks: [task], timers, onRunRejected: () => undefined }).start();
    await timers.advanceTo(70_000);
    // 1 s run + 60 s asked for; then 1 s + the 5 s interval (10 ms asked for is less); then every 5 s.
    expect(seen.starts).toEqual([0, 61_000, 67_000]);
  });

  it('trigger() runs a waiting task at once, and a running one again right after its run', async () => {
    const timers = new ManualTimers();
    const { task, seen } = timedTask(timers, 'lead', 60_000, 2_000);
    const scheduler = createScheduler({ tasks: [task], timers, onRunRejected: () => undefined });
    scheduler.start();
    await timers.advanceTo(10_000);
    scheduler.trigger('lead');
    await timers.advanceTo(11_000);
    // Triggered twice during that run (new mail twice): one more run, right after it.
    scheduler.trigger('lead');
    scheduler.trigger('lead');
    scheduler.trigger('nobody');
    await timers.advanceTo(20_000);
    expect(seen.starts).toEqual([0, 10_000, 12_000]);
    expect(seen.maxAtOnce).toBe(1);
    // The interval counts from the last start again.
    await timers.advanceTo(72_000);
    expect(seen.starts).toEqual([0, 10_000, 12_000, 72_000]);
  });
});
