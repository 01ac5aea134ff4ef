import type { InboxRunSummary } from '../../shared/inbox';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { ErrorBox, SuccessBox } from '../components/StatusBox';
import { describeProgress, describeRunResult, runDetails, type CheckNowState } from './check-now-state';
import { LastRunStatus } from './LastRunStatus';

export interface CheckNowPanelProps {
  readonly idPrefix: string;
  /** The id of the heading that names the panel. */
  readonly labelledBy: string;
  readonly state: CheckNowState;
  /** Why Check now can't run (nothing saved, unsaved changes), or null. */
  readonly notReadyReason: string | null;
  /** The inbox's last run (this window's, another's, the command line's), shown until this one runs. */
  readonly lastRun: InboxRunSummary | null;
  /** The saved settings leave messages on the server. */
  readonly keepsOnServer?: boolean;
  readonly onCheck: () => void;
}

/**
 * "Check now": empties the saved mailbox into records, with progress while it runs and then how many
 * records it made, or what went wrong and what to do.
 */
export function CheckNowPanel({ idPrefix, labelledBy, state, notReadyReason, lastRun, keepsOnServer = false, onCheck }: Readonly<CheckNowPanelProps>) {
  const running = state.kind === 'running' || state.kind === 'runningElsewhere';
  const hintId = `${idPrefix}-check-now-hint`;
  return (
    <div className="check-now" role="group" aria-labelledby={labelledBy}>
      <div className="connection-test__bar">
        {/* Reachable while unavailable, with the reason read out with it. */}
        <Button onClick={onCheck} disabled={notReadyReason !== null || running} describedBy={hintId}>
          {running ? 'Checking…' : 'Check now'}
        </Button>
        <p className="field__hint" id={hintId}>
          {notReadyReason ??
            (state.kind === 'runningElsewhere'
              ? 'The mailbox is being checked automatically (on schedule or for new mail); the progress is below.'
              : keepsOnServer
              ? 'Keeps every new message of the saved mailbox as a record, and leaves it on the server.'
              : 'Keeps every message of the saved mailbox as a record, then removes it from the server.')}
        </p>
      </div>
      <div role="status" aria-live="polite">
        <CheckNowResult state={state} lastRun={lastRun} />
      </div>
    </div>
  );
}

function CheckNowResult({ state, lastRun }: Readonly<{ state: CheckNowState; lastRun: InboxRunSummary | null }>) {
  switch (state.kind) {
    case 'idle':
      return lastRun === null ? null : <LastRunStatus run={lastRun} />;
    case 'running':
    case 'runningElsewhere': {
      const { progress } = state;
      return (
        <div className="check-now__progress">
          {state.kind === 'runningElsewhere' && <p className="status status--muted">Automatic check of the mailbox:</p>}
          {/* A <progress> is role=progressbar; its value and max are read out as aria-valuenow/max, and the words too. */}
          {progress !== null && progress.total > 0 ? (
            <progress aria-label="Messages kept as records" aria-valuetext={describeProgress(progress)} max={progress.total} value={progress.retrieved} />
          ) : (
            <progress aria-label="Messages kept as records" aria-valuetext={describeProgress(progress)} />
          )}
          <p className="status status--muted">{describeProgress(progress)}</p>
        </div>
      );
    }
    case 'finished':
      return <RunSucceeded summary={state.summary} />;
    case 'failed':
      return <ErrorBox error={state.error} />;
    default:
      return assertNever(state);
  }
}

function RunSucceeded({ summary }: Readonly<{ summary: InboxRunSummary }>) {
  return (
    <SuccessBox>
      <p className="status__message">{describeRunResult(summary)}</p>
      {runDetails(summary).map((line) => (
        <p key={line} className="status__fix">
          {line}
        </p>
      ))}
      {summary.warnings.map((warning) => (
        <div key={`${warning.code}-${warning.message}`} className="result__nested result__nested--warning" data-error-code={warning.code}>
          <p className="status__message">{warning.message}</p>
          {warning.fix !== undefined && <p className="status__fix">{warning.fix}</p>}
        </div>
      ))}
    </SuccessBox>
  );
}
