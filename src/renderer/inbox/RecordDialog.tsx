import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { ChoiceField } from '../components/ChoiceField';
import { ErrorBox } from '../components/StatusBox';
import { useModalDialog } from '../components/use-modal-dialog';
import type { InboxRecordDetail } from '../../shared/inbox';
import { CaseThread, ThreadRoleNote } from './CaseThread';
import { bodyViewLabels, bodyViewsOf, parsedFieldsOf, recordDate, sandboxedHtmlDocument, senderOf, type BodyView, type OpenRecord } from './records-state';

export interface RecordDialogProps {
  readonly idPrefix: string;
  readonly opened: Exclude<OpenRecord, { readonly kind: 'closed' }>;
  readonly onChooseView: (view: BodyView) => void;
  readonly onClose: () => void;
}

/** One record: what was read from the message, its body as text or HTML, and the original message. */
export function RecordDialog({ idPrefix, opened, onChooseView, onClose }: Readonly<RecordDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(onClose);
  const titleId = `${idPrefix}-record-title`;
  return (
    <dialog ref={dialogRef} className="modal modal--wide modal--record" aria-labelledby={titleId} onCancel={cancel}>
      <div className="modal__form">
        <RecordContent idPrefix={idPrefix} titleId={titleId} opened={opened} onChooseView={onChooseView} />
        <div className="modal__actions">
          <Button onClick={onClose}>Close</Button>
        </div>
      </div>
    </dialog>
  );
}

function RecordContent({ idPrefix, titleId, opened, onChooseView }: Readonly<Omit<RecordDialogProps, 'onClose'> & { titleId: string }>) {
  switch (opened.kind) {
    case 'loading':
      return (
        <>
          <h2 className="modal__title" id={titleId}>
            Record
          </h2>
          <p className="status status--muted" role="status">
            Opening the record…
          </p>
        </>
      );
    case 'loadFailed':
      return (
        <>
          <h2 className="modal__title" id={titleId}>
            Record
          </h2>
          <ErrorBox error={opened.error} />
        </>
      );
    case 'open':
      return <RecordDetails idPrefix={idPrefix} titleId={titleId} record={opened.record} view={opened.view} onChooseView={onChooseView} />;
    default:
      return assertNever(opened);
  }
}

interface RecordDetailsProps {
  readonly idPrefix: string;
  readonly titleId: string;
  readonly record: InboxRecordDetail;
  readonly view: BodyView;
  readonly onChooseView: (view: BodyView) => void;
}

function RecordDetails({ idPrefix, titleId, record, view, onChooseView }: Readonly<RecordDetailsProps>) {
  const fields = parsedFieldsOf(record.fields);
  const rows: readonly (readonly [string, string])[] = [
    ...(record.caseReference !== null ? [['Case', record.caseReference] as const] : []),
    ...(record.type !== null ? [['Type', record.type] as const] : []),
    ['From', senderOf(record)],
    ['Date', recordDate(record.date)],
    ['Kept', recordDate(record.retrievedAt)],
    ['Message-ID', record.messageId ?? 'None'],
    ...(record.inReplyTo.length > 0 ? [['In reply to', record.inReplyTo.join(' ')] as const] : []),
    ...(record.references.length > 0 ? [['References', record.references.join(' ')] as const] : []),
    ['Size', `${record.rawSize.toLocaleString()} bytes`],
    ['SHA-256', record.rawSha256],
  ];
  return (
    <>
      <h2 className="modal__title" id={titleId}>
        {record.subject === '' ? '(no subject)' : record.subject}
      </h2>
      <dl className="record-details" aria-label="About the message">
        {rows.map(([term, value]) => (
          <div key={term} className="record-details__row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <ThreadRoleNote record={record} />
      {record.caseReference !== null && <CaseThread caseReference={record.caseReference} thread={record.caseThread} currentId={record.id} />}
      {fields.length > 0 && (
        <dl className="record-details record-details--fields" aria-label="Read from the form">
          {fields.map((field) => (
            <div key={field.label} className="record-details__row">
              <dt>{field.label}</dt>
              <dd>{field.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {record.attachments.length > 0 && (
        <ul className="record-attachments" aria-label="Attachments">
          {record.attachments.map((file) => (
            <li key={file.fileName}>
              {file.fileName} <span className="attachments__size">({file.contentType}, {file.size.toLocaleString()} bytes)</span>
            </li>
          ))}
        </ul>
      )}
      {record.parseError !== null && <p className="record-card__problem">This message could not be fully read ({record.parseError}): it is kept exactly as received.</p>}
      <ChoiceField
        id={`${idPrefix}-record-view`}
        name={`${idPrefix}-record-view`}
        label="Show"
        value={view}
        options={bodyViewsOf(record)}
        labelOf={(option) => bodyViewLabels[option]}
        onChange={onChooseView}
      />
      <RecordBody record={record} view={view} />
    </>
  );
}

function RecordBody({ record, view }: Readonly<{ record: InboxRecordDetail; view: BodyView }>) {
  switch (view) {
    case 'text':
      return (
        <pre className="record-body" tabIndex={0} aria-label="The message as text">
          {record.text === '' ? '(no text)' : record.text}
        </pre>
      );
    case 'html':
      // No scripts, no origin, nothing remote: sandbox="" and the policy inside the document.
      return record.html === null ? null : (
        <iframe className="record-html" sandbox="" srcDoc={sandboxedHtmlDocument(record.html)} title="The message as HTML, without scripts or remote content" />
      );
    case 'source':
      return (
        <>
          <pre className="record-body record-body--source" tabIndex={0} aria-label="The original message">
            {record.rawSource}
          </pre>
          {record.rawSourceTruncated && (
            <p className="field__hint">This is the beginning of the message. The command `mail-settings records raw {record.id}` gives all of it, byte for byte.</p>
          )}
        </>
      );
    default:
      return assertNever(view);
  }
}
