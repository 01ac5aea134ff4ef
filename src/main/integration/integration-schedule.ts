import { availableParallelism } from 'node:os';
import { realTimers, createScheduler, type Scheduler, type SchedulerTimers } from '../service/scheduler';
import { errorFields, retryAfterOf } from '../service/inbox-retrieval-task';
import type { ServiceLog } from '../service/service-log';
import type { EventBus } from '../events/event-bus';
import { ErrorCode } from '../../shared/errors';
import type { IntegrationRetrieval } from './integration-retrieval';
import { integrationCheckEveryMinutes } from './integration-views';
import { runLimit } from './run-limit';
import { ImapFlow } from 'imapflow';
import { watchForNewMail, type NewMailWatcher } from '../inbox/idle/new-mail-watcher';

export interface IntegrationScheduleOptions {
  readonly retrieval: IntegrationRetrieval;
  readonly events: EventBus;
  readonly log: ServiceLog;
  readonly timers?: SchedulerTimers;
  /** How often each mailbox is emptied: 5 minutes (issue 15) unless a test or a benchmark says otherwise. */
  readonly everyMs?: number;
  /** How many mailboxes are emptied at the same time (the others wait their turn); the machine's cores by default. */
  readonly concurrentRuns?: number;
  /** Watch each mailbox for new mail (IMAP IDLE) between the polls; on unless told otherwise. */
  readonly watchForNewMail?: boolean;
  /**
   * Team mode: a credential whose password or sign-in is not on this installation (shared settings bring
   * neither) is left alone, said once, instead of failing at every interval.
   */
  readonly skipWithoutSignIn?: boolean;
}

export interface IntegrationSchedule {
  stop(): Promise<void>;
  /** The mailboxes being run now, by credential id. */
  inFlight(): readonly string[];
}

/**
 * While the app runs, every integration mailbox is emptied every 5 minutes, each on its own schedule
 * (service/scheduler.ts: never overlapping itself, a failure retried an interval later, a throttling
 * server's wait respected), so one slow or unreachable server never holds up another's mail. A mailbox
 * added or deleted in Email Integration starts or stops being run at once.
 */
export function startIntegrationSchedule(options: IntegrationScheduleOptions): IntegrationSchedule {
  const { retrieval, log } = options;
  const timers = options.timers ?? realTimers;
  const everyMs = options.everyMs ?? integrationCheckEveryMinutes * 60_000;
  const schedulers = new Map<string, Scheduler>();
  // Between the polls, a watch on a connection of its own (IDLE) starts a run as soon as mail arrives, so
  // new mail becomes a record within seconds, however many mailboxes there are (issue 15: within 60 s).
  const watchers = new Map<string, NewMailWatcher>();
  const watchOf = (id: string, scheduler: Scheduler): NewMailWatcher =>
    watchForNewMail({
      connection: () => retrieval.watchConnection(id),
      createClient: (connection) => new ImapFlow(connection),
      onNewMail: () => scheduler.trigger(id),
      onTrouble: (error) => log.warn('watch for new mail interrupted: trying again, and the mailbox is still polled', { integration: id, message: error.message }),
    });
  const withoutSignIn = new Set<string>();
  /** True when the credential's sign-in is here; said once when it is not, and once when it comes. */
  const signInHere = async (id: string): Promise<boolean> => {
    if (options.skipWithoutSignIn !== true) return true;
    const present = await retrieval.signInHere(id);
    if (present === !withoutSignIn.has(id)) return present;
    if (present) {
      withoutSignIn.delete(id);
      log.info('password or sign-in now on this installation: checked from now on', { integration: id });
    } else {
      withoutSignIn.add(id);
      log.info('integration mailbox not checked here: its settings are shared, but its password or sign-in is not on this installation', { integration: id });
    }
    return present;
  };
  const inTurn = runLimit(Math.max(1, options.concurrentRuns ?? availableParallelism()));
  let stopped = false;

  const schedulerFor = (id: string): Scheduler =>
    createScheduler({
      timers,
      onRunRejected: (task, error) => log.error('unexpected failure: trying again at the next interval', { task, message: error instanceof Error ? error.message : String(error) }),
      tasks: [
        {
          name: id,
          everyMs,
          async run(signal) {
            if (!(await signInHere(id))) return 'succeeded';
            // A poll asks the server first: an empty mailbox costs one short connection, not a run.
            const result = await inTurn(() => retrieval.checkNow(id, { signal, onlyWithMail: true }));
            if (result.ok) {
              if (result.value.retrieved > 0) log.info('integration mailbox emptied', { integration: id, retrieved: result.value.retrieved });
              return 'succeeded';
            }
            const { code } = result.error;
            if (code === ErrorCode.RetrievalCancelled || code === ErrorCode.RetrievalInProgress || code === ErrorCode.IntegrationNotFound) return 'succeeded';
            log.error('integration mailbox retrieval failed', { integration: id, ...errorFields(result.error) });
            const retryAfterMs = retryAfterOf(result.error);
            return retryAfterMs === null ? 'failed' : { retryAfterMs };
          },
        },
      ],
    });

  /** Starts a schedule for each new credential, stops the schedules of deleted ones. */
  const follow = (): void => {
    if (stopped) return;
    const ids = new Set(retrieval.ids());
    for (const [id, scheduler] of schedulers) {
      if (ids.has(id)) continue;
      schedulers.delete(id);
      void scheduler.stop();
      void watchers.get(id)?.stop();
      watchers.delete(id);
    }
    for (const id of ids) {
      if (schedulers.has(id)) continue;
      const scheduler = schedulerFor(id);
      schedulers.set(id, scheduler);
      scheduler.start();
      if (options.watchForNewMail !== false) watchers.set(id, watchOf(id, scheduler));
    }
  };
  follow();
  const stopFollowing = options.events.on('integrationsChanged', follow);

  return {
    stop: async () => {
      stopped = true;
      stopFollowing();
      await Promise.all([...watchers.values()].map((watcher) => watcher.stop()));
      watchers.clear();
      await Promise.all([...schedulers.values()].map((scheduler) => scheduler.stop()));
      schedulers.clear();
    },
    inFlight: () => [...schedulers.values()].flatMap((scheduler) => scheduler.inFlight()),
  };
}
