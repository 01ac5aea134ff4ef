import type { InboxId, InboxRecordSummary } from '../../shared/inbox';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { ErrorBox } from '../components/StatusBox';
import { ThreadRoleNote } from './CaseThread';
import { parsedFieldsOf, recordDate, senderOf, type RecordsList } from './records-state';

export interface RecentRecordsProps {
  readonly idPrefix: string;
  readonly inbox: InboxId;
  readonly list: RecordsList;
  readonly onOpen: (id: number) => void;
  readonly onRetry: () => void;
}

/** The records view of an inbox: its most recent records, newest first, each with what was read from it. */
export function RecentRecords({ idPrefix, inbox, list, onOpen, onRetry }: Readonly<RecentRecordsProps>) {
  const titleId = `${idPrefix}-records-list-title`;
  return (
    <div className="records">
      <h3 className="records__title" id={titleId}>
        Recent records
      </h3>
      <RecordsListState inbox={inbox} list={list} titleId={titleId} onOpen={onOpen} onRetry={onRetry} />
    </div>
  );
}

function RecordsListState({ inbox, list, titleId, onOpen, onRetry }: Readonly<Omit<RecentRecordsProps, 'idPrefix'> & { titleId: string }>) {
  switch (list.kind) {
    case 'loading':
      return <p className="status status--muted">Loading the records…</p>;
    case 'loadFailed':
      return (
        <ErrorBox error={list.error}>
          <div className="result__actions">
            <Button onClick={onRetry}>Try again</Button>
          </div>
        </ErrorBox>
      );
    case 'loaded':
      if (list.records.length === 0) {
        return <p className="status status--muted">No records yet. Check now, in the settings, keeps the mailbox’s messages here.</p>;
      }
      return (
        <ul className="records__list" aria-labelledby={titleId}>
          {list.records.map((record) => (
            <RecordCard key={record.id} inbox={inbox} record={record} onOpen={onOpen} />
          ))}
        </ul>
      );
    default:
      return assertNever(list);
  }
}

function RecordCard({ inbox, record, onOpen }: Readonly<{ inbox: InboxId; record: InboxRecordSummary; onOpen: (id: number) => void }>) {
  const fields = parsedFieldsOf(record.fields);
  const kind = inbox === 'serviceDesk' ? (record.caseReference ?? 'No case') : (record.type ?? 'Note');
  const subject = record.subject === '' ? '(no subject)' : record.subject;
  return (
    <li className="record-card" data-record-id={record.id}>
      <div className="record-card__head">
        <span className="record-card__kind">{kind}</span>
        <time className="record-card__date" dateTime={record.date ?? undefined}>
          {recordDate(record.date)}
        </time>
      </div>
      <p className="record-card__subject">{subject}</p>
      <p className="record-card__from">From {senderOf(record)}</p>
      {/* Set by the Email Integration alias the message came through. */}
      {(record.owner ?? record.queue) !== null && (
        <p className="record-card__assigned">{record.owner !== null ? `Owner: ${record.owner}` : `Queue: ${record.queue ?? ''}`}</p>
      )}
      <ThreadRoleNote record={record} />
      {fields.length > 0 && (
        <dl className="record-card__fields">
          {fields.map((field) => (
            <div key={field.label} className="record-card__field">
              <dt>{field.label}</dt>
              <dd>{field.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {record.parseError !== null && <p className="record-card__problem">Kept as received: {record.parseError}</p>}
      <div className="record-card__actions">
        <Button variant="link" onClick={() => onOpen(record.id)}>
          View<span className="visually-hidden"> {`${kind}: ${subject}`}</span>
        </Button>
      </div>
    </li>
  );
}
