import { securityLabels } from '../../shared/mail-server';
import { mailboxReadBy, type InboxView } from '../../shared/inbox';
import { LastRunStatus } from './LastRunStatus';

/** What the inbox is set up to do, in one or two lines under its header. */
export function InboxSummary({ view }: Readonly<{ view: InboxView }>) {
  const { settings, lastRun } = view;
  if (settings === null) {
    return <p className="module__summary">Not set up yet. Click the gear icon to enter the mailbox this inbox empties.</p>;
  }
  const records = view.inbox === 'serviceDesk' ? 'cases' : `activity notes of type “${settings.recordType}”`;
  return (
    <div className="module__summary">
      <p>
        Empties <strong>{mailboxReadBy(settings)}</strong>
        {settings.sharedMailbox !== undefined && ` (a shared mailbox, read as ${settings.userName})`} on {settings.serverName} ({securityLabels[settings.security]}, port {settings.port}) into {records}.
      </p>
      {lastRun != null && <LastRunStatus run={lastRun} />}
      {view.warnings.length > 0 && (
        <p className="field__hint">
          {view.warnings.length === 1 ? 'One warning' : `${view.warnings.length} warnings`} about these settings: open the settings to read {view.warnings.length === 1 ? 'it' : 'them'}.
        </p>
      )}
    </div>
  );
}
