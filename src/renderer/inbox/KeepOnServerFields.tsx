import { inboxLabels } from '../../shared/inbox';
import { Button } from '../components/Buttons';
import { CheckboxField } from '../components/Field';
import { ErrorBox } from '../components/StatusBox';
import { resetCounterLabel, type CounterResetState } from './use-mailbox-counter';

export interface KeepOnServerFieldsProps {
  readonly idPrefix: string;
  readonly checked: boolean;
  /** The saved settings leave messages on the server: the counter is in use, and can be reset. */
  readonly counterInUse: boolean;
  readonly reset: CounterResetState;
  readonly onChange: (checked: boolean) => void;
  /** Opens the administrator's prompt, which ends with "Confirm you wish to proceed". */
  readonly onAskReset: () => void;
}

/**
 * "Leave messages on the server" and, while the saved settings do, seed 003's "Reset Mailbox Counter":
 * the next check reads the whole mailbox again, creating only the records that are missing.
 */
export function KeepOnServerFields(props: Readonly<KeepOnServerFieldsProps>) {
  const { idPrefix, reset } = props;
  const hintId = `${idPrefix}-reset-counter-hint`;
  return (
    <>
      <CheckboxField
        id={`${idPrefix}-keepOnServer`}
        label={inboxLabels.keepOnServer}
        checked={props.checked}
        hint="Messages stay in the mailbox and are never marked or removed: a mailbox counter remembers the newest one kept, and each check takes only what arrived after it."
        onChange={props.onChange}
      />
      {props.counterInUse && (
        <div className="connection-test__bar">
          <Button onClick={props.onAskReset} disabled={reset.kind === 'resetting'} describedBy={hintId}>
            {resetCounterLabel}
          </Button>
          <p className="field__hint" id={hintId}>
            Re-downloads every message of the mailbox at the next check, for example after moving from POP3 to IMAP. Only the records that are missing are created.
          </p>
        </div>
      )}
      <div role="status" aria-live="polite">
        {reset.kind === 'done' && <p className="status status--success counter-reset">Mailbox counter reset: the next check reads the whole mailbox again.</p>}
        {reset.kind === 'failed' && <ErrorBox error={reset.error} />}
      </div>
    </>
  );
}
