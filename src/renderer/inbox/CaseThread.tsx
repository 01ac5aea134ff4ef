import type { InboxRecordSummary } from '../../shared/inbox';
import { flaggedText, threadRoleText } from './case-thread';
import { recordDate, senderOf } from './records-state';

/** Under a Service Desk record: what it is to its case, and a warning when the match is doubtful. */
export function ThreadRoleNote({ record }: Readonly<{ record: InboxRecordSummary }>) {
  const role = threadRoleText(record);
  if (role === null) return null;
  return (
    <>
      <p className={`record-card__thread${record.threadRole === 'auto-reply' ? ' record-card__thread--auto' : ''}`}>{role}</p>
      {record.flagged && <p className="record-card__flag">{flaggedText}</p>}
    </>
  );
}

/** A case's messages, oldest first: the one that opened it, the replies, the auto-replies (marked). */
export function CaseThread({ caseReference, thread, currentId }: Readonly<{ caseReference: string; thread: readonly InboxRecordSummary[]; currentId: number }>) {
  if (thread.length === 0) return null;
  return (
    <section className="case-thread" aria-label={`Thread of ${caseReference}`}>
      <h3 className="case-thread__title">Thread of {caseReference}</h3>
      <ol className="case-thread__list">
        {thread.map((message) => (
          <li key={message.id} className="case-thread__message" aria-current={message.id === currentId || undefined}>
            <span className="case-thread__subject">{message.subject === '' ? '(no subject)' : message.subject}</span>{' '}
            <span className="case-thread__from">
              from {senderOf(message)}, {recordDate(message.date)}
            </span>
            <ThreadRoleNote record={message} />
          </li>
        ))}
      </ol>
    </section>
  );
}
