import type { FormEvent } from 'react';
import type { AppError } from '../../shared/errors';
import { Button } from '../components/Buttons';
import { useModalDialog } from '../components/use-modal-dialog';
import { TextField } from '../components/Field';
import { RequiredLegend } from '../components/Required';
import { ErrorBox } from '../components/StatusBox';
import type { ChangePasswordDraft, ChangePasswordField } from './password-state';

export interface ChangePasswordDialogProps {
  readonly draft: ChangePasswordDraft;
  /** Whose password this is, for the dialog's sentence: "your outgoing mail server", "the Lead Inbox's mailbox". */
  readonly serverDescription: string;
  /** The sentence under the title, when the password is stored otherwise than on Save (Email Integration stores it on OK). */
  readonly explanation?: string;
  /** Element ids start with this (two such dialogs may live in one page). */
  readonly idPrefix?: string;
  /** OK was clicked and the password is being stored. */
  readonly busy?: boolean;
  /** Why storing it did not work. */
  readonly error?: AppError | null;
  readonly onEdit: (field: ChangePasswordField, value: string) => void;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/**
 * Seed 002's Change Password dialog: the new password twice. A native modal <dialog> gives the focus trap,
 * Escape and the inert background for free; the container decides when it is shown.
 */
export function ChangePasswordDialog({
  draft,
  serverDescription,
  explanation,
  idPrefix = 'change-password',
  busy = false,
  error = null,
  onEdit,
  onConfirm,
  onCancel,
}: Readonly<ChangePasswordDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(onCancel);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onConfirm();
  };

  return (
    <dialog ref={dialogRef} className="modal" aria-labelledby={`${idPrefix}-title`} onCancel={cancel}>
      <form className="modal__form" noValidate onSubmit={submit} aria-busy={busy}>
        <h2 className="modal__title" id={`${idPrefix}-title`}>
          Change Password
        </h2>
        <p className="modal__text">{explanation ?? `Enter the new password for ${serverDescription} twice. It is stored when you click Save.`}</p>
        <RequiredLegend />
        <div className="modal__fields">
          <TextField
            id={`${idPrefix}-new`}
            label="New Password"
            required
            type="password"
            autoComplete="new-password"
            value={draft.newPassword}
            error={draft.errors.newPassword}
            onChange={(value) => onEdit('newPassword', value)}
          />
          <TextField
            id={`${idPrefix}-confirm`}
            label="Confirm Password"
            required
            type="password"
            autoComplete="new-password"
            value={draft.confirmPassword}
            error={draft.errors.confirmPassword}
            onChange={(value) => onEdit('confirmPassword', value)}
          />
        </div>
        {error !== null && <ErrorBox error={error} />}
        <div className="modal__actions">
          <Button variant="primary" type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'OK'}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </dialog>
  );
}
