import { inboxCliNames } from '../../../shared/inbox';
import { inboxIds, type InboxId } from '../../../shared/mailboxes';
import type { AppServices } from '../../services';
import { inboxRetrievalTask } from '../../service/inbox-retrieval-task';
import { createScheduler, type ScheduledTask, type SchedulerTimers } from '../../service/scheduler';
import type { ServiceLog } from '../../service/service-log';

export interface InboxScheduleOptions {
  /** How often an inbox is emptied: serve's `--interval`, or in the app the inbox's own setting. */
  readonly everyMs: (inbox: InboxId) => number;
  readonly log: ServiceLog;
  readonly timers: SchedulerTimers;
  /** Scheduled alongside the inboxes (serve's account checks). */
  readonly otherTasks?: readonly ScheduledTask[];
}

export interface InboxSchedule {
  /** Starts nothing more, asks the runs in flight to stop at a clean point, resolves once they have. */
  stop(): Promise<void>;
  /** What is running now ("lead", "service-desk", and any other task by its name). */
  inFlight(): readonly string[];
  /** Empties the inbox now (new mail announced by IDLE), or right after its run in flight. */
  trigger(inbox: InboxId): void;
}

/**
 * The scheduled retrieval of every inbox that is set up, through "Check now" (so a run is kept as the
 * inbox's last run, for the dialog): one module for `mail-settings serve` and the running app.
 */
export function startInboxSchedule(services: AppServices, options: InboxScheduleOptions): InboxSchedule {
  const { log, timers } = options;
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

  const inboxTasks = inboxIds.map((inbox) =>
    inboxRetrievalTask(inbox, () => options.everyMs(inbox), {
      isConfigured: (id) => settings.getMailbox(id) !== null,
      awaitsFirstImportChoice: (id) => services.inbox.awaitsFirstImportChoice(id),
      // Team mode: a configuration shared without its password (it stays in each keychain) is left alone.
      ...(services.sharedSettings ? { signInHere: (id: InboxId) => services.inbox.signInHere(id) } : {}),
      checkNow: (id, run) => {
        retrievedSoFar.set(id, 0);
        return services.inbox.checkNow(id, run);
      },
      retrievedSoFar: (id) => retrievedSoFar.get(id) ?? 0,
      log,
      timers,
    }),
  );
  const scheduler = createScheduler({
    tasks: [...inboxTasks, ...(options.otherTasks ?? [])],
    timers,
    onRunRejected: (task, error) => log.error('unexpected failure: trying again at the next interval', { task, message: error instanceof Error ? error.message : String(error) }),
  });
  scheduler.start();

  return {
    stop: async () => {
      await scheduler.stop();
      stopProgressLog();
    },
    inFlight: () => scheduler.inFlight(),
    trigger: (inbox) => scheduler.trigger(inboxCliNames[inbox]),
  };
}

