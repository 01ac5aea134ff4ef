import type { IntegrationCredentialView } from '../../shared/integration';
import { integrationLabels } from '../../shared/integration';
import { authMethodLabels } from '../../shared/mail-server';
import { Button } from '../components/Buttons';
import { useModalDialog } from '../components/use-modal-dialog';
import { lastFetchText, rowStatus, whereEdited } from './dashboard-state';

export interface BuiltInMailboxDialogProps {
  readonly row: IntegrationCredentialView;
  /** Closes Email Integration and takes the user to the mailbox's own section. */
  readonly onGoThere: () => void;
  readonly onClose: () => void;
}

/** Details of Send Direct or an inbox: what the dashboard knows of it, and where it is edited. */
export function BuiltInMailboxDialog({ row, onGoThere, onClose }: Readonly<BuiltInMailboxDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(onClose);
  const status = rowStatus(row);
  const facts: readonly (readonly [string, string])[] = [
    [integrationLabels.mailbox, row.mailbox === '' ? 'Not set up' : row.mailbox],
    [integrationLabels.host, row.host === '' ? '—' : row.host],
    [integrationLabels.authMethod, authMethodLabels[row.authMethod]],
    [integrationLabels.password, row.hasPassword ? 'Hidden (stored in your system keychain)' : 'None stored'],
    ['Status', status.tone === 'failed' ? `${status.text}: ${status.why}` : status.text],
    ['Last successful fetch', lastFetchText(row.lastSuccessAt)],
  ];
  return (
    <dialog ref={dialogRef} className="modal modal--wide" aria-labelledby="integration-built-in-title" onCancel={cancel}>
      <div className="modal__form">
        <h2 className="modal__title" id="integration-built-in-title">
          {row.configurationName}
        </h2>
        <dl className="record-details">
          {facts.map(([term, value]) => (
            <div key={term} className="record-details__row">
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <p className="note">{whereEdited(row)}</p>
        <div className="modal__actions">
          <Button variant="primary" onClick={onGoThere}>
            Go to {row.configurationName}
          </Button>
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    </dialog>
  );
}
