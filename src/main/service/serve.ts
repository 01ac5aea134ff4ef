import { inboxCliNames } from '../../shared/inbox';
import { inboxIds } from '../../shared/mailboxes';
import { startInboxSchedule } from '../inbox/schedule/inbox-schedule';
import type { AppServices } from '../services';
import { accountCheckTask } from './account-check-task';
import { formatDuration } from './interval';
import type { SchedulerTimers } from './scheduler';
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
  const accountCheckEveryMs = Math.max(intervalMs, accountCheckFloorMs);
  const accountChecks = accountCheckTask(accountCheckEveryMs, {
    statusOf: (mailbox) => settings.getAccount(mailbox)?.status ?? null,
    accountIds: () => settings.accountIds(),
    check: (mailbox) => services.accounts.check(mailbox),
    log,
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
  const schedule = startInboxSchedule(services, { everyMs: () => intervalMs, log, timers, otherTasks: [accountChecks] });

  return {
    stop: () => schedule.stop(),
    inFlight: () => schedule.inFlight(),
  };
}
