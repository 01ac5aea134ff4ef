import type { InboxRunSummary } from '../../shared/inbox';
import { CheckIcon, CrossIcon } from '../components/Field';
import { describeRunResult } from './check-now-state';
import { recordDate } from './records-state';

/**
 * The inbox's last run, whoever ran it (this window, the schedule, new mail, the command line): a green
 * tick and what it made, or a red cross with the reason and the fix (seed 003's tick and cross). A
 * failure stays shown, run after run, until a run succeeds.
 */
export function LastRunStatus({ run }: Readonly<{ run: InboxRunSummary }>) {
  const when = `Last checked ${recordDate(run.finishedAt)}`;
  if (run.error === null) {
    return (
      <div className="last-run last-run--succeeded status status--success">
        <CheckIcon />
        <p className="status__message">
          {when}: {describeRunResult(run)}
        </p>
      </div>
    );
  }
  return (
    <div className="last-run last-run--failed status status--error" data-error-code={run.error.code}>
      <CrossIcon />
      <div>
        <p className="status__message">
          {when}: it did not work. {run.error.message}
        </p>
        {run.error.fix !== undefined && <p className="status__fix">{run.error.fix}</p>}
      </div>
    </div>
  );
}
