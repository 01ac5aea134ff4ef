import { ChangePasswordDialog } from '../mail-account/ChangePasswordDialog';
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

/** Seed 002's Change Password for an Email Integration credential: the app's dialog, stored in the keychain on OK. */
export function IntegrationPasswordDialog({ state, mailbox, onEdit, onConfirm, onCancel }: Readonly<IntegrationPasswordDialogProps>) {
  return (
    <ChangePasswordDialog
      draft={state.draft}
      serverDescription={mailbox}
      explanation={`Enter the new password of ${mailbox} twice. OK stores it in your system keychain; then click Test Connection to check that the mail server accepts it.`}
      idPrefix="integration-password"
      busy={state.busy}
      error={state.error}
      onEdit={onEdit}
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
