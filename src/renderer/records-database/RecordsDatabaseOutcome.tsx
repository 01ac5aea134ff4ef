import { ErrorBox, SuccessBox } from '../components/StatusBox';
import type { RecordsDatabaseOutcome as Outcome, RecordsDatabaseState } from './records-database-state';

export interface RecordsDatabaseOutcomeProps {
  readonly busy: Extract<RecordsDatabaseState, { kind: 'editing' }>['busy'];
  readonly outcome: Outcome | null;
  /** Main's refusal is shown under a field already: only its fix is said here. */
  readonly aboutFields: boolean;
}

/** What Test or Save is doing, or how it ended: always in the DOM, so screen readers announce what appears. */
export function RecordsDatabaseOutcome({ busy, outcome, aboutFields }: Readonly<RecordsDatabaseOutcomeProps>) {
  return (
    <div role="status" aria-live="polite">
      {busy !== null && <p className="status status--muted">{busy === 'testing' ? 'Connecting to the database…' : 'Connecting to the database, then saving…'}</p>}
      {(outcome?.kind === 'tested' || outcome?.kind === 'saved') && (
        <SuccessBox>
          <p className="status__message">{outcome.message}</p>
        </SuccessBox>
      )}
      {outcome?.kind === 'failed' && (aboutFields ? <p className="status__fix">{outcome.error.fix}</p> : <ErrorBox error={outcome.error} />)}
    </div>
  );
}
