import type { FormEvent } from 'react';
import { recordsDatabaseChoices, recordsDatabaseLabels, type RecordsDatabaseChoice, type RecordsDatabaseInUse } from '../../shared/records-database';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { ChoiceField } from '../components/ChoiceField';
import { TextField } from '../components/Field';
import { ErrorBox } from '../components/StatusBox';
import { useModalDialog } from '../components/use-modal-dialog';
import type { RecordsDatabaseField, RecordsDatabaseState } from './records-database-state';
import { passwordStored } from './records-database-state';
import { RecordsDatabaseOutcome } from './RecordsDatabaseOutcome';

export interface RecordsDatabaseDialogProps {
  readonly state: RecordsDatabaseState;
  readonly onChoose: (choice: RecordsDatabaseChoice) => void;
  readonly onEdit: (field: RecordsDatabaseField, value: string) => void;
  readonly onTest: () => void;
  readonly onSave: () => void;
  readonly onClose: () => void;
}

const idPrefix = 'records-database';
const titleId = `${idPrefix}-title`;

/** Where the records of this installation are kept: the built-in database, or a PostgreSQL database a team shares. */
export function RecordsDatabaseDialog(props: Readonly<RecordsDatabaseDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(props.onClose);
  return (
    <dialog ref={dialogRef} className="modal modal--wide" aria-labelledby={titleId} onCancel={cancel}>
      <Body {...props} />
    </dialog>
  );
}

function Body(props: Readonly<RecordsDatabaseDialogProps>) {
  const { state } = props;
  switch (state.kind) {
    case 'loading':
      return (
        <div className="modal__form">
          <Title />
          <p className="status status--muted">Loading…</p>
        </div>
      );
    case 'loadFailed':
      return (
        <div className="modal__form">
          <Title />
          <ErrorBox error={state.error} />
          <div className="modal__actions">
            <Button onClick={props.onClose}>Close</Button>
          </div>
        </div>
      );
    case 'editing':
      return <Form {...props} state={state} />;
    default:
      return assertNever(state);
  }
}

function Title() {
  return (
    <h2 className="modal__title" id={titleId} tabIndex={-1} data-autofocus>
      {recordsDatabaseLabels.title}
    </h2>
  );
}

function inUseText(inUse: RecordsDatabaseInUse): string {
  return inUse.kind === 'builtIn' ? `${recordsDatabaseLabels.builtIn}, ${inUse.file}` : `${recordsDatabaseLabels.postgres}, ${inUse.url}`;
}

function Form(props: Readonly<RecordsDatabaseDialogProps & { state: Extract<RecordsDatabaseState, { kind: 'editing' }> }>) {
  const { view, draft, busy, outcome } = props.state;
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    props.onSave();
  };
  const aboutFields = Object.keys(draft.errors).length > 0;
  return (
    <form className="modal__form form" noValidate onSubmit={submit} aria-busy={busy !== null}>
      <Title />
      <p className="note">
        In use now: {inUseText(view.inUse)}. {view.note}
      </p>
      <ChoiceField
        id={`${idPrefix}-choice`}
        name={`${idPrefix}-choice`}
        label={recordsDatabaseLabels.choice}
        value={draft.choice}
        options={recordsDatabaseChoices}
        labelOf={(choice) => recordsDatabaseLabels[choice]}
        hint={
          draft.choice === 'builtIn'
            ? 'The records stay in this installation’s data directory.'
            : 'Every installation of the team keeps its records in one PostgreSQL database.'
        }
        onChange={props.onChoose}
      />
      {draft.choice === 'postgres' && (
        <>
          <TextField
            id={`${idPrefix}-url`}
            label={recordsDatabaseLabels.url}
            required
            value={draft.url}
            error={draft.errors.url}
            placeholder="postgres://USER@HOST:5432/DATABASE"
            hint="The user, the server and the database, for example postgres://crm@db.example.com:5432/mail_settings."
            onChange={(value) => props.onEdit('url', value)}
          />
          <TextField
            id={`${idPrefix}-password`}
            label={recordsDatabaseLabels.password}
            type="password"
            autoComplete="new-password"
            value={draft.password}
            error={draft.errors.password}
            hint={
              passwordStored(view)
                ? 'A password is stored in your system keychain: leave this empty to keep it.'
                : 'Kept in your system keychain, never in the settings file.'
            }
            onChange={(value) => props.onEdit('password', value)}
          />
        </>
      )}
      <RecordsDatabaseOutcome busy={busy} outcome={outcome} aboutFields={aboutFields} />
      <div className="modal__actions">
        <Button disabled={busy !== null} onClick={props.onTest}>
          {busy === 'testing' ? 'Testing…' : 'Test'}
        </Button>
        <Button variant="primary" type="submit" disabled={busy !== null}>
          {busy === 'saving' ? 'Saving…' : 'Save'}
        </Button>
        <Button onClick={props.onClose}>Close</Button>
      </div>
    </form>
  );
}
