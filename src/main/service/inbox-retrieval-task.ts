import { ErrorCode, type AppError, type Result } from '../../shared/errors';
import { inboxCliNames, type InboxRunSummary } from '../../shared/inbox';
import type { InboxId } from '../../shared/mailboxes';
import { formatDuration } from './interval';
import type { RunOutcome, ScheduledTask, SchedulerTimers } from './scheduler';
import type { LogFields, ServiceLog } from './service-log';

export interface InboxRetrievalDeps {
  /** Whether the inbox is set up now (the settings file is read again each time: the app may change it). */
  readonly isConfigured: (inbox: InboxId) => boolean;
  /**
   * Whether the first connection's question ("Import all" / "Only mail arriving from now on") is still
   * unanswered: the inbox is then left alone, so a full mailbox is not imported behind the user's back.
   */
  readonly awaitsFirstImportChoice: (inbox: InboxId) => Promise<boolean>;
  /**
   * Team mode: whether this installation holds the inbox's password or sign-in. A configuration shared by
   * another installation arrives without them (they stay in each keychain), and is then left alone.
   */
  readonly signInHere?: (inbox: InboxId) => Promise<boolean>;
  /** "Check now" (InboxService.checkNow): records the run's outcome for the dialog too. */
  readonly checkNow: (inbox: InboxId, options: { readonly signal: AbortSignal }) => Promise<Result<InboxRunSummary>>;
  /** Records made so far by the run in flight (from its progress events), for a run that is stopped. */
  readonly retrievedSoFar: (inbox: InboxId) => number;
  readonly log: ServiceLog;
  readonly timers: Pick<SchedulerTimers, 'now'>;
}

export function errorFields(error: AppError): LogFields {
  return { error: error.code, message: error.message, fix: error.fix };
}

/** How long a throttled server asked us to wait (an Office 365 failure may carry it), else null. */
export function retryAfterOf(error: AppError): number | null {
  const value: unknown = (error as { readonly retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * The scheduled retrieval of one inbox: a run through "Check now" each interval, logged from start to
 * end. An inbox that is not set up is skipped (said once, and again once it is set up). `everyMs` is a
 * number (serve's `--interval`) or read again after each run (the app: the inbox's own setting).
 */
export function inboxRetrievalTask(inbox: InboxId, everyMs: number | (() => number), deps: InboxRetrievalDeps): ScheduledTask {
  const { log } = deps;
  const name = inboxCliNames[inbox];
  let configuredBefore: boolean | null = null;

  const noteConfigured = (configured: boolean): void => {
    if (configured === configuredBefore) return;
    if (!configured) log.info('inbox not set up: not checked until it is', { inbox: name, setup: `mail-settings configure ${name}` });
    else if (configuredBefore === false) log.info('inbox set up: checked from now on', { inbox: name });
    configuredBefore = configured;
  };

  let awaitingBefore = false;
  const noteAwaitingChoice = (awaiting: boolean): void => {
    if (awaiting === awaitingBefore) return;
    if (awaiting) log.info('inbox not checked until someone answers the first connection’s question: Import all, or Only mail arriving from now on', { inbox: name });
    else log.info('first connection answered: checked from now on', { inbox: name });
    awaitingBefore = awaiting;
  };

  let signInHereBefore = true;
  const noteSignInHere = (present: boolean): void => {
    if (present === signInHereBefore) return;
    if (!present) log.info('inbox not checked here: its settings are shared, but its password or sign-in is not on this installation', { inbox: name, setup: `mail-settings configure ${name}` });
    else log.info('password or sign-in now on this installation: checked from now on', { inbox: name });
    signInHereBefore = present;
  };

  // Shared records: while another installation holds the mailbox, each interval's run is refused. Who
  // holds it is said when that changes, not at every interval.
  let heldByBefore: string | null = null;
  const noteHeldBy = (heldBy: AppError['heldBy'] | null): void => {
    const holder = heldBy ? `${heldBy.host}\0${heldBy.pid}` : null;
    if (holder === heldByBefore) return;
    heldByBefore = holder;
    if (heldBy) log.info('retrieval skipped: another installation empties this mailbox', { inbox: name, host: heldBy.host, pid: heldBy.pid, since: heldBy.since });
  };

  const intervalMs = typeof everyMs === 'number' ? () => everyMs : everyMs;
  return {
    name,
    get everyMs() {
      return intervalMs();
    },
    async run(signal): Promise<RunOutcome> {
      noteConfigured(deps.isConfigured(inbox));
      if (!configuredBefore) return 'succeeded';
      if (await deps.awaitsFirstImportChoice(inbox)) {
        noteAwaitingChoice(true);
        return 'succeeded';
      }
      noteAwaitingChoice(false);
      if (deps.signInHere && !(await deps.signInHere(inbox))) {
        noteSignInHere(false);
        return 'succeeded';
      }
      noteSignInHere(true);
      const startedAt = deps.timers.now();
      log.info('retrieval started', { inbox: name });
      const result = await deps.checkNow(inbox, { signal });
      noteHeldBy(result.ok ? null : (result.error.heldBy ?? null));
      const duration = formatDuration(deps.timers.now() - startedAt);
      if (result.ok) {
        const { retrieved, alreadyStored, expunged, leftForLaterExpunge, skippedDeletedByOthers, warnings } = result.value;
        log.info('retrieval finished', {
          inbox: name,
          retrieved,
          already_stored: alreadyStored,
          expunged,
          left_for_later: leftForLaterExpunge,
          skipped_deleted_by_others: skippedDeletedByOthers,
          duration,
        });
        for (const warning of warnings) log.warn('retrieval warning', { inbox: name, ...errorFields(warning) });
        return 'succeeded';
      }
      const { error } = result;
      switch (error.code) {
        case ErrorCode.RetrievalCancelled:
          log.info('retrieval stopped: every batch was kept whole or left on the server', { inbox: name, retrieved: deps.retrievedSoFar(inbox), duration });
          return 'succeeded';
        case ErrorCode.RetrievalInProgress:
          // Another installation: said above, once per holder.
          if (error.heldBy) return 'succeeded';
          // The app's "Check now", a `retrieve` from cron: that run reports its own outcome.
          log.info('retrieval skipped: another run is emptying this inbox', { inbox: name, message: error.message });
          return 'succeeded';
        case ErrorCode.NotConfigured:
          noteConfigured(false);
          return 'succeeded';
        default: {
          const retryAfterMs = retryAfterOf(error);
          const waitMs = Math.max(intervalMs(), retryAfterMs ?? 0);
          log.error('retrieval failed', { inbox: name, ...errorFields(error), duration, next_try: `in ${formatDuration(waitMs)}` });
          return retryAfterMs === null ? 'failed' : { retryAfterMs };
        }
      }
    },
  };
}
