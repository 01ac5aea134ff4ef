import type { AppError } from '../../shared/errors';
import { retrievalEmptiesMailboxWarning } from '../../shared/inbox';
import { WarningIcon } from '../components/Field';

/** Seed 000's important note, at the top of both dialogs: retrieval empties the mailbox, so it must be a generic one read by one installation. */
export function RetrievalEmptiesMailboxNote() {
  return (
    <div className="notice" role="note">
      <WarningIcon />
      <p>
        <strong>Important:</strong> {retrievalEmptiesMailboxWarning}
      </p>
    </div>
  );
}

export interface MailboxWarningsProps {
  /** What main sees wrong with the saved settings: a personal mailbox, both inboxes on one mailbox… */
  readonly warnings: readonly AppError[];
}

/**
 * Main's warnings about the saved mailbox, each with what to do. Just above Save, where the user is when
 * they appear, and announced as they do.
 */
export function MailboxWarnings({ warnings }: Readonly<MailboxWarningsProps>) {
  return (
    <div className="inbox-warnings" aria-live="polite">
      {warnings.map((warning) => (
        <div key={`${warning.code}-${warning.message}`} className="notice notice--warning" role="note" data-error-code={warning.code}>
          <WarningIcon />
          <div>
            <p className="status__message">{warning.message}</p>
            {warning.fix !== undefined && <p className="status__fix">{warning.fix}</p>}
          </div>
        </div>
      ))}
    </div>
  );
}
