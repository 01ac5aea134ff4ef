import type { FormEvent, ReactNode } from 'react';
import { inboxDialogTitles, type InboxId } from '../../shared/inbox';
import { RequiredLegend } from '../components/Required';
import { useModalDialog } from '../components/use-modal-dialog';
import { SaveBar } from '../mail-account/SaveBar';
import type { SaveState } from '../mail-account/save-state';
import { MailboxWarnings, RetrievalEmptiesMailboxNote } from './InboxWarnings';
import type { AppError } from '../../shared/errors';

export interface InboxDialogProps {
  readonly inbox: InboxId;
  readonly idPrefix: string;
  readonly warnings: readonly AppError[];
  readonly save: SaveState;
  readonly dirty: boolean;
  /** E-MAIL ACCOUNT's fields, Test Connection included. */
  readonly account: ReactNode;
  /** RECORD CREATION's sentence and Type. */
  readonly recordCreation: ReactNode;
  /** Check now, named by the Retrieval heading (`${idPrefix}-retrieval-title`). */
  readonly retrieval: ReactNode;
  /** The Change Password dialog or the Type manager, over this one. */
  readonly subDialog: ReactNode;
  readonly onSave: () => void;
  /** Cancel, Escape: closes the dialog, and what was not saved is forgotten. */
  readonly onCancel: () => void;
}

/** "Configure Lead Inbox Processing" (seed 000): the important note, E-MAIL ACCOUNT, RECORD CREATION, Check now, Save and Cancel. */
export function InboxDialog(props: Readonly<InboxDialogProps>) {
  const { idPrefix } = props;
  const { dialogRef, cancel } = useModalDialog(props.onCancel);
  const titleId = `${idPrefix}-dialog-title`;

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    // Nothing is ever posted: Save goes through the API.
    event.preventDefault();
    props.onSave();
  };

  return (
    <dialog ref={dialogRef} className="modal modal--inbox" aria-labelledby={titleId} onCancel={cancel}>
      <form className="inbox-dialog form" noValidate onSubmit={submit} aria-busy={props.save.kind === 'saving'}>
        <h2 className="modal__title inbox-dialog__title" id={titleId} tabIndex={-1} data-autofocus>
          {inboxDialogTitles[props.inbox]}
        </h2>
        <RetrievalEmptiesMailboxNote />
        <RequiredLegend />
        <section className="inbox-dialog__group" aria-labelledby={`${idPrefix}-account-title`}>
          <h3 className="inbox-dialog__group-title" id={`${idPrefix}-account-title`}>
            E-mail account
          </h3>
          {props.account}
        </section>
        <section className="inbox-dialog__group" aria-labelledby={`${idPrefix}-records-title`}>
          <h3 className="inbox-dialog__group-title" id={`${idPrefix}-records-title`}>
            Record creation
          </h3>
          {props.recordCreation}
        </section>
        <section className="inbox-dialog__group" aria-labelledby={`${idPrefix}-retrieval-title`}>
          <h3 className="inbox-dialog__group-title" id={`${idPrefix}-retrieval-title`}>
            Retrieval
          </h3>
          {props.retrieval}
        </section>
        <MailboxWarnings warnings={props.warnings} />
        <SaveBar save={props.save} dirty={props.dirty} cancelDisabled={false} onCancel={props.onCancel} />
      </form>
      {/* Outside the form: each of these has its own, and forms must not nest. */}
      {props.subDialog}
    </dialog>
  );
}
