import type { FormEvent } from 'react';
import { Button } from '../components/Buttons';
import { useModalDialog } from '../components/use-modal-dialog';
import { TextField } from '../components/Field';
import { RequiredLegend } from '../components/Required';
import type { ChangePasswordDraft, ChangePasswordField } from './password-state';

export interface ChangePasswordDialogProps {
  readonly draft: ChangePasswordDraft;
  /** Whose password this is, for the dialog's sentence: "your outgoing mail server", "the Lead Inbox's mailbox". */
  readonly serverDescription: string;
  readonly onEdit: (field: ChangePasswordField, value: string) => void;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/**
 * Seed 002's Change Password dialog: the new password twice. A native modal <dialog> gives the focus trap,
 * Escape and the inert background for free; the container decides when it is shown.
 */
export function ChangePasswordDialog({ draft, serverDescription, onEdit, onConfirm, onCancel }: Readonly<ChangePasswordDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(onCancel);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onConfirm();
  };

  return (
    <dialog ref={dialogRef} className="modal" aria-labelledby="change-password-title" onCancel={cancel}>
      <form className="modal__form" noValidate onSubmit={submit}>
        <h2 className="modal__title" id="change-password-title">
          Change Password
        </h2>
        <p className="modal__text">Enter the new password for {serverDescription} twice. It is stored when you click Save.</p>
        <RequiredLegend />
        <div className="modal__fields">
          <TextField
            id="change-password-new"
            label="New Password"
            required
            type="password"
            autoComplete="new-password"
            value={draft.newPassword}
            error={draft.errors.newPassword}
            onChange={(value) => onEdit('newPassword', value)}
          />
          <TextField
            id="change-password-confirm"
            label="Confirm Password"
            required
            type="password"
            autoComplete="new-password"
            value={draft.confirmPassword}
            error={draft.errors.confirmPassword}
            onChange={(value) => onEdit('confirmPassword', value)}
          />
        </div>
        <div className="modal__actions">
          <Button variant="primary" type="submit">
            OK
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </dialog>
  );
}
