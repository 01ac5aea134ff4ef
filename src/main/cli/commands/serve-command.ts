import { parseArgs } from 'node:util';
import { leaseTtlFrom } from '../../inbox/retrieval/lease-ttl';
import { parseInterval } from '../../service/interval';
import { startServing } from '../../service/serve';
import { realTimers } from '../../service/scheduler';
import { startServeUi } from '../../service/serve-ui';
import { createServiceLog } from '../../service/service-log';
import { exitCodeFor, listenForStopSignals } from '../../service/stop-signals';
import { withRuntime, type CliContext } from '../cli-context';

/**
 * `mail-settings serve [--interval 5m] [--ui]`: the headless service (systemd, launchd, Task Scheduler).
 * Empties every inbox that is set up each interval and checks the Modern Authentication sign-ins,
 * logging one line per event on stdout (service-log.ts). SIGTERM or SIGINT: nothing new starts, a run in
 * flight stops at its next clean point, and the process exits 0 (within 10 s: the worker is terminated
 * 7 s after being asked, see run-in-worker.ts). A second signal exits at once, 128 + its number.
 */
export async function serveCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { interval: { type: 'string', default: '5m' }, ui: { type: 'boolean', default: false } },
  });
  const interval = parseInterval(values.interval);
  if (!interval.ok) {
    context.err(`${interval.message}\n`);
    return 2;
  }
  // Read again by each run (run-retrieval.ts); a value it cannot use is said here, once, not ignored by every run.
  const leaseTtl = leaseTtlFrom(context.env);
  if (!leaseTtl.ok) {
    context.err(`${leaseTtl.message}\n`);
    return 2;
  }
  const log = createServiceLog(context.out, context.secrets);
  const signals = listenForStopSignals(process, (code) => process.exit(code));
  try {
    // With --ui it is the app in a browser: its administrator session is its own, in memory.
    return await withRuntime(context, async (runtime) => {
      signals.ownAlone();
      const serving = startServing(runtime.services, { intervalMs: interval.ms, log, timers: realTimers });
      // The schedule goes on without the window if it cannot be served.
      const ui = values.ui
        ? await startServeUi(runtime, log, context.secrets).catch((error: unknown) => {
            log.error('ui not served: the schedule goes on', { message: error instanceof Error ? error.message : String(error) });
            return null;
          })
        : null;
      const signal = await signals.first;
      const inFlight = serving.inFlight();
      log.info('stopping: nothing new starts; a run in flight stops once its batch is kept or left whole', { signal, in_flight: inFlight.length > 0 ? inFlight : 'none' });
      signals.onSecond((second) => {
        log.error('stopping at once on a second signal: a batch in hand is kept whole or not at all; the next run finishes it', { signal: second, exit: exitCodeFor(second) });
        process.exit(exitCodeFor(second));
      });
      await ui?.close();
      await serving.stop();
      log.info('stopped', { signal });
      return 0;
    }, { adminSessions: 'memory' });
  } finally {
    signals.dispose();
  }
}
