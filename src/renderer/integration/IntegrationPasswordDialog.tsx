import type { FormEvent } from 'react';
import { Button } from '../components/Buttons';
import { TextField } from '../components/Field';
import { RequiredLegend } from '../components/Required';
import { ErrorBox } from '../components/StatusBox';
import { useModalDialog } from '../components/use-modal-dialog';
import type { ChangePasswordField } from '../mail-account/password-state';
import type { IntegrationPasswordState } from './change-password-state';

export interface IntegrationPasswordDialogProps {
  readonly state: IntegrationPasswordState;
  /** The mailbox whose password this is. */
  readonly mailbox: string;
  readonly onEdit: (field: ChangePasswordField, value: string) => void;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/** Seed 002's Change Password: New Password, Confirm Password, OK; stored in the keychain at once. */
export function IntegrationPasswordDialog({ state, mailbox, onEdit, onConfirm, onCancel }: Readonly<IntegrationPasswordDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(onCancel);
  const { draft } = state;

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onConfirm();
  };

  return (
    <dialog ref={dialogRef} className="modal" aria-labelledby="integration-password-title" onCancel={cancel}>
      <form className="modal__form" noValidate onSubmit={submit} aria-busy={state.busy}>
        <h2 className="modal__title" id="integration-password-title">
          Change Password
        </h2>
        <p className="modal__text">
          Enter the new password of {mailbox} twice. OK stores it in your system keychain; then click Test Connection to check that the mail
          server accepts it.
        </p>
        <RequiredLegend />
        <div className="modal__fields">
          <TextField
            id="integration-password-new"
            label="New Password"
            required
            type="password"
            autoComplete="new-password"
            value={draft.newPassword}
            error={draft.errors.newPassword}
            onChange={(value) => onEdit('newPassword', value)}
          />
          <TextField
            id="integration-password-confirm"
            label="Confirm Password"
            required
            type="password"
            autoComplete="new-password"
            value={draft.confirmPassword}
            error={draft.errors.confirmPassword}
            onChange={(value) => onEdit('confirmPassword', value)}
          />
        </div>
        {state.error !== null && <ErrorBox error={state.error} />}
        <div className="modal__actions">
          <Button variant="primary" type="submit" disabled={state.busy}>
            {state.busy ? 'Saving…' : 'OK'}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </dialog>
  );
}
