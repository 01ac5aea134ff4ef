import type { AppError } from '../../shared/errors';
import type { InboxRetrievalProgress, InboxRunSummary } from '../../shared/inbox';
import { assertNever } from '../assert-never';

/**
 * "Check now" in an inbox's dialog: empties the saved mailbox into records and says how it went (how many
 * records, or the error with its fix), with main's progress events while it runs.
 */
export type CheckNowState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: InboxRetrievalProgress | null }
  /** A run this dialog did not start (the schedule, new mail seen by IDLE, the command line in `ui`). */
  | { readonly kind: 'runningElsewhere'; readonly progress: InboxRetrievalProgress }
  | { readonly kind: 'finished'; readonly summary: InboxRunSummary }
  | { readonly kind: 'failed'; readonly error: AppError };

export type CheckNowAction =
  | { readonly type: 'started' }
  | { readonly type: 'progress'; readonly progress: InboxRetrievalProgress }
  /** The inbox's last run changed: a run started elsewhere is over, and the last-run line says how it went. */
  | { readonly type: 'lastRunChanged' }
  | { readonly type: 'finished'; readonly summary: InboxRunSummary }
  | { readonly type: 'failed'; readonly error: AppError };

export const initialCheckNowState: CheckNowState = { kind: 'idle' };

export function checkNowReducer(state: CheckNowState, action: CheckNowAction): CheckNowState {
  switch (action.type) {
    case 'started':
      return { kind: 'running', progress: null };
    case 'progress':
      // A run this dialog did not start is shown too, as such: a scheduled run is not a silent one.
      return state.kind === 'running' ? { kind: 'running', progress: action.progress } : { kind: 'runningElsewhere', progress: action.progress };
    case 'lastRunChanged':
      return state.kind === 'runningElsewhere' ? initialCheckNowState : state;
    case 'finished':
      // A run that ended with an error is a failure, whatever else it counted.
      return action.summary.error === null ? { kind: 'finished', summary: action.summary } : { kind: 'failed', error: action.summary.error };
    case 'failed':
      return { kind: 'failed', error: action.error };
    default:
      return assertNever(action);
  }
}

/** The progress line, in words: "Keeping messages as records: 3 of 12". */
export function describeProgress(progress: InboxRetrievalProgress | null): string {
  if (progress === null) return 'Connecting to the mailbox…';
  switch (progress.phase) {
    case 'listed':
      return progress.total === 0 ? 'The mailbox is empty.' : `Found ${countOf(progress.total, 'message')} in the mailbox.`;
    case 'storing':
      return `Keeping messages as records: ${progress.retrieved} of ${progress.total}${inParentheses(downloaded(progress))}.`;
    case 'removing':
      return `Removing the kept messages from the server (${[`${progress.retrieved} of ${progress.total} kept`, downloaded(progress)].filter(Boolean).join(', ')}).`;
    default:
      return assertNever(progress.phase);
  }
}

/** "1.2 MB downloaded" once anything was (megabytes of 10⁶ bytes, as mail providers count quotas), else "". */
function downloaded(progress: InboxRetrievalProgress): string {
  const bytes = progress.downloadedBytes ?? 0;
  if (bytes === 0) return '';
  const megabytes = bytes / 1_000_000;
  return `${megabytes < 0.1 ? '< 0.1' : megabytes.toFixed(1)} MB downloaded`;
}

function inParentheses(text: string): string {
  return text === '' ? '' : ` (${text})`;
}

/** The result's first line: "3 records created." */
export function describeRunResult(summary: InboxRunSummary): string {
  if (summary.retrieved === 0 && summary.alreadyStored === 0) return 'No new messages: the mailbox was empty.';
  return `${countOf(summary.retrieved, 'record')} created.`;
}

/** "3 records created.", or why the run did not work: the line about an inbox's last check. */
export function lastRunOutcome(run: InboxRunSummary): string {
  return run.error === null ? describeRunResult(run) : `it did not work. ${run.error.message}`;
}

/** The other things a run did, one sentence each, only those that happened. */
export function runDetails(summary: InboxRunSummary): string[] {
  const lines: string[] = [];
  if (summary.alreadyStored > 0) {
    lines.push(`${countOf(summary.alreadyStored, 'message')} had been kept by an earlier check and ${wasOrWere(summary.alreadyStored)} not kept again.`);
  }
  if (summary.expunged > 0) lines.push(`${countOf(summary.expunged, 'message')} removed from the server.`);
  if (summary.leftForLaterExpunge > 0) {
    lines.push(`${countOf(summary.leftForLaterExpunge, 'kept message')} stay marked as deleted on the server until the next check.`);
  }
  if (summary.skippedDeletedByOthers > 0) {
    lines.push(`${countOf(summary.skippedDeletedByOthers, 'message')} marked as deleted by another program ${wasOrWere(summary.skippedDeletedByOthers)} left alone.`);
  }
  return lines;
}

function wasOrWere(count: number): string {
  return count === 1 ? 'was' : 'were';
}

export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
