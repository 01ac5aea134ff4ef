import type { AppError } from '../../shared/errors';
import type { IntegrationCredentialView } from '../../shared/integration';
import { Button } from '../components/Buttons';
import { ErrorBox } from '../components/StatusBox';
import { useModalDialog } from '../components/use-modal-dialog';

export interface DeleteIntegrationDialogProps {
  readonly row: IntegrationCredentialView;
  readonly busy: boolean;
  /** Main's refusal: the aliases that still use the mailbox are named in it. */
  readonly error: AppError | null;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/** Delete, confirmed first (seed 002: a credential that aliases use cannot go). */
export function DeleteIntegrationDialog({ row, busy, error, onConfirm, onCancel }: Readonly<DeleteIntegrationDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(onCancel);
  return (
    <dialog ref={dialogRef} className="modal" aria-labelledby="integration-delete-title" onCancel={cancel}>
      <div className="modal__form">
        <h2 className="modal__title" id="integration-delete-title">
          Delete {row.configurationName}?
        </h2>
        <p className="modal__text">
          Legrand CRM stops using {row.mailbox}: its settings, its password in the keychain and its default alias are deleted. The mailbox
          itself and its mail stay with your provider.
        </p>
        <div role="status" aria-live="polite">
          {error !== null && <ErrorBox error={error} />}
        </div>
        <div className="modal__actions">
          <Button variant="primary" disabled={busy} onClick={onConfirm}>
            {busy ? 'Deleting…' : 'Delete'}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      </div>
    </dialog>
  );
}
