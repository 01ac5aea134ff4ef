import { inboxCliNames } from '../../shared/inbox';
import { inboxIds, type InboxId } from '../../shared/mailboxes';
import type { AppServices } from '../services';
import { accountCheckTask } from './account-check-task';
import { inboxRetrievalTask } from './inbox-retrieval-task';
import { formatDuration } from './interval';
import { createScheduler, type SchedulerTimers } from './scheduler';
import type { ServiceLog } from './service-log';

export interface ServeOptions {
  /** How often each inbox is emptied (`--interval`). */
  readonly intervalMs: number;
  readonly log: ServiceLog;
  readonly timers: SchedulerTimers;
}

export interface Serving {
  /** Starts nothing more, asks the runs in flight to stop at a clean point, resolves once they have. */
  stop(): Promise<void>;
  /** What is running now ("lead", "service-desk", "accounts"). */
  inFlight(): readonly string[];
}

/**
 * A dead grant is noticed within 15 minutes (as in the app), without rotating refresh tokens every few
 * seconds when the inboxes are checked that often; never less often than the inboxes.
 */
const accountCheckFloorMs = 15 * 60_000;

/**
 * `mail-settings serve`: the scheduled retrieval of every inbox that is set up, and the accounts'
 * re-authentication checks, on the services of one data directory; told to `options.log`.
 */
export function startServing(services: AppServices, options: ServeOptions): Serving {
  const { log, timers, intervalMs } = options;
  const settings = services.deps.settings;
  const retrievedSoFar = new Map<InboxId, number>();

  const stopProgressLog = services.events.on('retrievalProgress', (progress) => {
    const inbox = inboxCliNames[progress.inbox];
    if (progress.phase === 'listed') {
      retrievedSoFar.set(progress.inbox, 0);
      log.info('retrieval listed the mailbox', { inbox, messages: progress.total });
    } else if (progress.phase === 'storing') {
      retrievedSoFar.set(progress.inbox, progress.retrieved);
      log.debug('batch kept', { inbox, retrieved: progress.retrieved, of: progress.total });
    }
  });

  const accountCheckEveryMs = Math.max(intervalMs, accountCheckFloorMs);
  const tasks = [
    ...inboxIds.map((inbox) =>
      inboxRetrievalTask(inbox, intervalMs, {
        isConfigured: (id) => settings.getMailbox(id) !== null,
        checkNow: (id, run) => {
          retrievedSoFar.set(id, 0);
          return services.inbox.checkNow(id, run);
        },
        retrievedSoFar: (id) => retrievedSoFar.get(id) ?? 0,
        log,
        timers,
      }),
    ),
    accountCheckTask(accountCheckEveryMs, {
      statusOf: (mailbox) => settings.getAccount(mailbox)?.status ?? null,
      check: (mailbox) => services.accounts.check(mailbox),
      log,
    }),
  ];
  const scheduler = createScheduler({
    tasks,
    timers,
    onRunRejected: (task, error) => log.error('unexpected failure: trying again at the next interval', { task, message: error instanceof Error ? error.message : String(error) }),
  });

  const configuredNames = inboxIds.filter((inbox) => settings.getMailbox(inbox) !== null).map((inbox) => inboxCliNames[inbox]);
  log.info('serving', {
    data_dir: services.deps.dataDir,
    interval: formatDuration(intervalMs),
    inboxes: configuredNames.length > 0 ? configuredNames : 'none',
    account_checks: `every ${formatDuration(accountCheckEveryMs)}`,
    version: services.deps.version,
    pid: process.pid,
  });
  scheduler.start();

  return {
    stop: async () => {
      await scheduler.stop();
      stopProgressLog();
    },
    inFlight: () => scheduler.inFlight(),
  };
}
