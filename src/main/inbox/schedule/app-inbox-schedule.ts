import { ImapFlow } from 'imapflow';
import { checkEveryMinutesOf, inboxCliNames } from '../../../shared/inbox';
import { inboxIds, type InboxId } from '../../../shared/mailboxes';
import type { AppServices } from '../../services';
import { startIntegrationSchedule } from '../../integration/integration-schedule';
import { realTimers, type SchedulerTimers } from '../../service/scheduler';
import { watchForNewMail, type NewMailWatcher } from '../idle/new-mail-watcher';
import { startInboxSchedule, type InboxSchedule } from './inbox-schedule';
import { serviceLogOf } from './logger-service-log';

export interface AppInboxScheduleOptions {
  readonly timers?: SchedulerTimers;
  /** Watch each inbox for new mail (IMAP IDLE) between the scheduled runs; on unless told otherwise. */
  readonly watchForNewMail?: boolean;
  /** How often each Email Integration mailbox is emptied (5 minutes unless a benchmark lowers it). */
  readonly integrationEveryMs?: number;
}

/**
 * While the app runs, each inbox that is set up is emptied every N minutes, N being its own "Check for
 * new mail every" setting, read again after every run (a changed setting counts from the next run on);
 * and, between runs, a watch on its own connection (IDLE) starts a run as soon as new mail arrives.
 * Saving an inbox's settings restarts its watch with them; an inbox no longer set up is not watched.
 */
export function startAppInboxSchedule(services: AppServices, options: AppInboxScheduleOptions = {}): InboxSchedule {
  const settings = services.deps.settings;
  const log = serviceLogOf(services.logger);
  const everyMs = (inbox: InboxId): number => checkEveryMinutesOf(settings.getMailbox(inbox) ?? {}) * 60_000;
  const inboxSchedule = startInboxSchedule(services, { everyMs, log, timers: options.timers ?? realTimers });
  // The integration mailboxes, side by side with the inboxes, each polled and watched (IDLE) on its own.
  const integrations = startIntegrationSchedule({
    retrieval: services.integrationRetrieval,
    events: services.events,
    log,
    timers: options.timers ?? realTimers,
    watchForNewMail: options.watchForNewMail !== false,
    skipWithoutSignIn: services.sharedSettings !== null,
    ...(options.integrationEveryMs === undefined ? {} : { everyMs: options.integrationEveryMs }),
  });
  const schedule: InboxSchedule = {
    ...inboxSchedule,
    inFlight: () => [...inboxSchedule.inFlight(), ...integrations.inFlight().map((id) => `integration:${id}`)],
    stop: async () => {
      await Promise.all([inboxSchedule.stop(), integrations.stop()]);
    },
  };
  if (options.watchForNewMail === false) return schedule;

  const watchers = new Map<InboxId, { readonly settingsJson: string; readonly watcher: NewMailWatcher }>();
  const settingsJsonOf = (inbox: InboxId): string | null => {
    const saved = settings.getMailbox(inbox);
    return saved ? JSON.stringify(saved) : null;
  };
  const startWatching = (inbox: InboxId, settingsJson: string): void => {
    const name = inboxCliNames[inbox];
    const watcher = watchForNewMail({
      connection: () => services.inbox.watchConnection(inbox),
      createClient: (connection) => new ImapFlow(connection),
      onNewMail: () => {
        log.info('new mail: checking the inbox now', { inbox: name });
        schedule.trigger(inbox);
      },
      onTrouble: (error) => log.warn('watch for new mail interrupted: trying again, and the inbox is still checked on schedule', { inbox: name, message: error.message }),
    });
    watchers.set(inbox, { settingsJson, watcher });
  };
  /** Starts, restarts (settings changed) or stops the inbox's watch to match its saved settings. */
  const follow = async (inbox: InboxId): Promise<void> => {
    const next = settingsJsonOf(inbox);
    const current = watchers.get(inbox);
    if (current?.settingsJson === next) return;
    watchers.delete(inbox);
    await current?.watcher.stop();
    if (next !== null && !stopped) startWatching(inbox, next);
  };

  let stopped = false;
  // One change at a time per inbox: two saves in a row never leave two watches.
  const following = new Map<InboxId, Promise<void>>();
  const followInTurn = (inbox: InboxId): void => {
    following.set(inbox, (following.get(inbox) ?? Promise.resolve()).then(() => follow(inbox)));
  };
  for (const inbox of inboxIds) followInTurn(inbox);
  const stopFollowing = services.events.on('inboxChanged', (view) => followInTurn(view.inbox));

  return {
    ...schedule,
    stop: async () => {
      stopped = true;
      stopFollowing();
      await Promise.all(following.values());
      await Promise.all([...watchers.values()].map(({ watcher }) => watcher.stop()));
      watchers.clear();
      await schedule.stop();
    },
  };
}
