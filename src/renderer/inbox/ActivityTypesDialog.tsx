import { useRef, type FormEvent } from 'react';
import type { ActivityTypeView } from '../../shared/inbox';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { TextField } from '../components/Field';
import { ErrorBox } from '../components/StatusBox';
import { useFocusFallback } from '../components/use-focus-fallback';
import { useModalDialog } from '../components/use-modal-dialog';
import type { ActivityTypesState, TypesEdit } from './activity-types-state';

export interface ActivityTypesDialogProps {
  readonly state: ActivityTypesState;
  readonly onEditNewName: (value: string) => void;
  readonly onAdd: () => void;
  readonly onStartRename: (id: number) => void;
  readonly onEditRename: (value: string) => void;
  readonly onConfirmRename: () => void;
  readonly onCancelRename: () => void;
  readonly onRetire: (id: number) => void;
  readonly onRetryLoad: () => void;
  readonly onClose: () => void;
}

/**
 * The Type manager behind RECORD CREATION's gear: add a type, rename one, retire one. A type that records
 * (or an inbox's settings) use is retired, kept for them and no longer offered; one nothing uses is deleted.
 */
export function ActivityTypesDialog(props: Readonly<ActivityTypesDialogProps>) {
  const { state } = props;
  const { dialogRef, cancel } = useModalDialog(props.onClose);
  const body = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  // A row's Rename or Retire goes away with the change: the keyboard goes to Add rather than the page.
  useFocusFallback(body, addButton, editKey(state.edit));
  const busy = state.edit.kind === 'busy';

  const add = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    props.onAdd();
  };

  return (
    <dialog ref={dialogRef} className="modal" aria-labelledby="activity-types-title" onCancel={cancel}>
      <div className="modal__form" ref={body}>
        <h2 className="modal__title" id="activity-types-title">
          Activity types
        </h2>
        <p className="modal__text">
          The Type an inbox gives the activity notes it creates. A type that records use is retired, not deleted: its records keep it, and it is no longer offered.
        </p>
        <TypesList {...props} />
        <form className="types__add" noValidate onSubmit={add} aria-busy={busy}>
          <TextField
            id="activity-types-new"
            label="New activity type"
            value={state.newName}
            error={state.newNameError ?? undefined}
            placeholder="For example Web Enquiry"
            onChange={props.onEditNewName}
          />
          <Button type="submit" disabled={busy} ref={addButton}>
            Add
          </Button>
        </form>
        {state.failure !== null && <ErrorBox error={state.failure} />}
        <div className="modal__actions">
          <Button onClick={props.onClose}>Close</Button>
        </div>
      </div>
    </dialog>
  );
}

function editKey(edit: TypesEdit): string {
  switch (edit.kind) {
    case 'idle':
      return 'idle';
    case 'renaming':
      return `renaming-${edit.id}`;
    case 'busy':
      return `busy-${edit.id ?? 'new'}`;
    default:
      return assertNever(edit);
  }
}

function TypesList(props: Readonly<ActivityTypesDialogProps>) {
  const { list } = props.state;
  switch (list.kind) {
    case 'loading':
      return (
        <p className="status status--muted" role="status">
          Loading the activity types…
        </p>
      );
    case 'loadFailed':
      return (
        <ErrorBox error={list.error}>
          <div className="result__actions">
            <Button onClick={props.onRetryLoad}>Try again</Button>
          </div>
        </ErrorBox>
      );
    case 'loaded':
      return (
        <ul className="types" aria-label="Activity types">
          {list.types.map((type) => (
            <TypeRow key={type.id} {...props} type={type} />
          ))}
        </ul>
      );
    default:
      return assertNever(list);
  }
}

function TypeRow(props: Readonly<ActivityTypesDialogProps & { type: ActivityTypeView }>) {
  const { type, state } = props;
  const { edit } = state;
  if (edit.kind === 'renaming' && edit.id === type.id) {
    const submit = (event: FormEvent<HTMLFormElement>): void => {
      event.preventDefault();
      props.onConfirmRename();
    };
    return (
      <li className="types__item types__item--editing">
        <form className="types__rename" noValidate onSubmit={submit}>
          <TextField
            id={`activity-type-${type.id}-name`}
            label={`New name for ${type.name}`}
            value={edit.name}
            error={edit.error ?? undefined}
            autoFocus
            onChange={props.onEditRename}
          />
          <div className="types__actions">
            <Button variant="primary" type="submit">
              Rename
            </Button>
            <Button onClick={props.onCancelRename}>Cancel</Button>
          </div>
        </form>
      </li>
    );
  }
  const busy = edit.kind === 'busy';
  const working = busy && edit.id === type.id;
  return (
    <li className="types__item">
      <span className="types__name">{type.name}</span>
      <span className="types__state">{working ? 'Saving…' : stateOf(type)}</span>
      {!type.retired && (
        <span className="types__actions">
          <Button variant="link" disabled={busy} onClick={() => props.onStartRename(type.id)}>
            Rename<span className="visually-hidden"> {type.name}</span>
          </Button>
          <Button variant="link" disabled={busy} onClick={() => props.onRetire(type.id)}>
            {type.inUse ? 'Retire' : 'Delete'}
            <span className="visually-hidden"> {type.name}</span>
          </Button>
        </span>
      )}
    </li>
  );
}

function stateOf(type: ActivityTypeView): string {
  if (type.retired) return 'Retired: kept for its records';
  return type.inUse ? 'In use' : 'Not used yet';
}
