import type { IntegrationCredentialView } from '../../shared/integration';
import { integrationLabels } from '../../shared/integration';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { CheckIcon, CrossIcon } from '../components/Field';
import { RetrievedByNote } from '../components/RetrievedByNote';
import { lastFetchText, rowStatus } from './dashboard-state';

export interface IntegrationTableProps {
  readonly rows: readonly IntegrationCredentialView[];
  /** A change is with main: the row actions wait. */
  readonly busy: boolean;
  /** The added mailboxes whose Check now is running. */
  readonly checking: readonly string[];
  readonly onDetails: (id: string) => void;
  readonly onDelete: (id: string) => void;
  readonly onCheckNow: (id: string) => void;
}

/**
 * The dashboard's table: one row per mailbox credential, the built-in ones first. Every row has Details; only
 * an added mailbox has Check now and Delete (the built-in ones are checked and emptied in their own sections).
 */
export function IntegrationTable({ rows, busy, checking, onDetails, onDelete, onCheckNow }: Readonly<IntegrationTableProps>) {
  return (
    <div className="integrations__scroll">
      <table className="integrations" aria-describedby="email-integration-intro">
        <thead>
          <tr>
            <th scope="col">{integrationLabels.configurationName}</th>
            <th scope="col">{integrationLabels.mailbox}</th>
            <th scope="col">{integrationLabels.host}</th>
            <th scope="col">Status</th>
            <th scope="col">Last successful fetch</th>
            <th scope="col">Aliases</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-integration-id={row.id}>
              <th scope="row" className="integrations__name">
                {row.configurationName}
              </th>
              <td className="integrations__mailbox">{row.mailbox === '' ? <span className="integrations__muted">Not set up</span> : <Address value={row.mailbox} />}</td>
              <td className="integrations__host">{row.host === '' ? <span className="integrations__muted">—</span> : row.host}</td>
              <td>
                <StatusCell row={row} />
              </td>
              <td>
                {lastFetchText(row.lastSuccessAt)}
                {row.retrievedBy && (
                  <>
                    <br />
                    <RetrievedByNote retrievedBy={row.retrievedBy} />
                  </>
                )}
              </td>
              <td className="integrations__count">{row.kind === 'integration' ? row.aliasCount : <span className="integrations__muted">—</span>}</td>
              <td>
                <div className="integrations__actions">
                  <Button variant="link" disabled={busy} onClick={() => onDetails(row.id)}>
                    Details<span className="visually-hidden"> of {row.configurationName}</span>
                  </Button>
                  {row.kind === 'integration' && (
                    <Button variant="link" disabled={busy || checking.includes(row.id)} onClick={() => onCheckNow(row.id)}>
                      {checking.includes(row.id) ? 'Checking…' : 'Check now'}
                      <span className="visually-hidden"> {row.configurationName}</span>
                    </Button>
                  )}
                  {row.kind === 'integration' && (
                    <Button variant="link" disabled={busy} onClick={() => onDelete(row.id)}>
                      Delete<span className="visually-hidden"> {row.configurationName}</span>
                    </Button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An address may wrap before its @ rather than anywhere: the narrow column keeps both halves readable. */
function Address({ value }: Readonly<{ value: string }>) {
  const at = value.lastIndexOf('@');
  if (at <= 0) return value;
  return (
    <>
      {value.slice(0, at)}
      <wbr />
      {value.slice(at)}
    </>
  );
}

function StatusCell({ row }: Readonly<{ row: IntegrationCredentialView }>) {
  const status = rowStatus(row);
  switch (status.tone) {
    case 'ok':
      return (
        <span className="integration-status integration-status--ok" data-status="ok">
          <CheckIcon />
          <span>{status.text}</span>
        </span>
      );
    case 'failed':
      return (
        <span className="integration-status integration-status--failed" data-status="failed">
          <CrossIcon />
          <span>
            <span className="integration-status__text">{status.text}</span>
            <span className="integration-status__why">{status.why}</span>
          </span>
        </span>
      );
    case 'unknown':
      return (
        <span className="integration-status integration-status--unknown" data-status="unknown">
          {status.text}
        </span>
      );
    default:
      return assertNever(status);
  }
}
