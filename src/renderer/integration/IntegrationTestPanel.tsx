import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { ErrorBox, SuccessBox } from '../components/StatusBox';
import type { IntegrationTestState } from './integration-form-state';

export interface IntegrationTestPanelProps {
  /** The result for the values in the form now (an older one is not passed in). */
  readonly test: IntegrationTestState;
  /** Why Test Connection cannot run yet, or null when it can. */
  readonly notReadyReason: string | null;
  readonly onTest: () => void;
}

const hintId = 'integration-test-hint';
const labelId = 'integration-test-label';

/**
 * Seed 002's Test Connection: unavailable until every required field is complete (the reason is read out
 * with the button), then "We were able to connect to your mailbox." or what went wrong and what to do.
 */
export function IntegrationTestPanel({ test, notReadyReason, onTest }: Readonly<IntegrationTestPanelProps>) {
  const testing = test.kind === 'testing';
  return (
    <div className="field">
      <span className="field__label" id={labelId}>
        Connection
      </span>
      <div className="field__control connection-test" role="group" aria-labelledby={labelId}>
        <div className="connection-test__bar">
          <Button variant={notReadyReason === null ? 'primary' : 'secondary'} onClick={onTest} disabled={notReadyReason !== null || testing} describedBy={hintId}>
            {testing ? 'Testing…' : 'Test Connection'}
          </Button>
          <p className="field__hint" id={hintId}>
            {notReadyReason ?? 'Signs in to the mailbox with these values, then signs out. Nothing is read, changed or saved.'}
          </p>
        </div>
        <div role="status" aria-live="polite">
          <Result test={test} />
        </div>
      </div>
    </div>
  );
}

function Result({ test }: Readonly<{ test: IntegrationTestState }>) {
  switch (test.kind) {
    case 'idle':
      return null;
    case 'testing':
      return <p className="status status--muted">Connecting to the mailbox…</p>;
    case 'succeeded':
      return (
        <SuccessBox>
          <p className="status__message">{test.message}</p>
        </SuccessBox>
      );
    case 'failed':
      return <ErrorBox error={test.error} />;
    default:
      return assertNever(test);
  }
}
