import type { ReactNode } from 'react';
import type { AppError } from '../../shared/errors';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { CheckIcon } from '../components/Field';
import { ErrorBox } from '../components/StatusBox';
import { useModalDialog } from '../components/use-modal-dialog';
import type { DashboardRows } from './dashboard-state';
import { IntegrationTable } from './IntegrationTable';

export interface EmailIntegrationDialogProps {
  readonly rows: DashboardRows;
  /** What the last change did ("… deleted"), said once. */
  readonly done: string | null;
  readonly busy: boolean;
  /** The added mailboxes whose Check now is running. */
  readonly checking: readonly string[];
  /** A Check now that could not run, said under the table. */
  readonly checkRefused: AppError | null;
  readonly onAdd: () => void;
  readonly onDetails: (id: string) => void;
  readonly onDelete: (id: string) => void;
  readonly onCheckNow: (id: string) => void;
  readonly onRetry: () => void;
  readonly onClose: () => void;
  /** New Email Integration, Details or Delete, over the dashboard. */
  readonly subDialog: ReactNode;
}

/**
 * System Admin › Email Integration (seed 002): the dashboard of the mailbox credentials the app holds, with
 * Add, Details and Delete.
 */
export function EmailIntegrationDialog(props: Readonly<EmailIntegrationDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(props.onClose);
  return (
    <dialog ref={dialogRef} className="modal modal--integration" aria-labelledby="email-integration-title" onCancel={cancel}>
      <div className="modal__form integration-dialog">
        <p className="integration-dialog__trail" aria-hidden="true">
          System Admin ›
        </p>
        <h2 className="modal__title integration-dialog__title" id="email-integration-title" tabIndex={-1} data-autofocus>
          Email Integration
        </h2>
        <p className="modal__text" id="email-integration-intro">
          Every mailbox Legrand CRM signs in to: Send Direct, the two inboxes and the mailboxes added here. A green tick means the last
          check or fetch worked; a red cross says why it did not.
        </p>
        <Rows {...props} />
        {props.checkRefused !== null && <ErrorBox error={props.checkRefused} />}
        <div role="status" aria-live="polite">
          {props.done !== null && (
            <p className="status status--success">
              <CheckIcon />
              <span>{props.done}</span>
            </p>
          )}
        </div>
        <div className="modal__actions">
          <Button variant="primary" disabled={props.rows.kind !== 'loaded'} onClick={props.onAdd}>
            Add
          </Button>
          <Button onClick={props.onClose}>Close</Button>
        </div>
      </div>
      {props.subDialog}
    </dialog>
  );
}

function Rows(props: Readonly<EmailIntegrationDialogProps>) {
  const { rows } = props;
  switch (rows.kind) {
    case 'loading':
      return (
        <p className="status status--muted" role="status">
          Loading the mailbox credentials…
        </p>
      );
    case 'loadFailed':
      return (
        <ErrorBox error={rows.error}>
          <div className="result__actions">
            <Button onClick={props.onRetry}>Try again</Button>
          </div>
        </ErrorBox>
      );
    case 'loaded':
      return (
        <IntegrationTable
          rows={rows.rows}
          busy={props.busy}
          checking={props.checking}
          onDetails={props.onDetails}
          onDelete={props.onDelete}
          onCheckNow={props.onCheckNow}
        />
      );
    default:
      return assertNever(rows);
  }
}
