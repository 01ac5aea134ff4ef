import type { InboxQuarantineEntry } from '../../shared/inbox';
import { notImportedAdvice, notImportedReason, notImportedTitle } from './not-imported';

export interface NotImportedListProps {
  readonly idPrefix: string;
  readonly entries: readonly InboxQuarantineEntry[];
}

/** Under the records: the messages left on the server, each with its reason, and what to do. Nothing when there are none. */
export function NotImportedList({ idPrefix, entries }: Readonly<NotImportedListProps>) {
  if (entries.length === 0) return null;
  const titleId = `${idPrefix}-not-imported-title`;
  return (
    <div className="records">
      <h3 className="records__title" id={titleId}>
        {notImportedTitle(entries.length)}
      </h3>
      <p className="records__advice">{notImportedAdvice(entries)}</p>
      <ul className="records__list" aria-labelledby={titleId}>
        {entries.map((entry) => (
          <li className="record-card" key={`${entry.mailbox}/${entry.uidValidity}/${entry.uid}`}>
            <span className="record-card__subject">{notImportedReason(entry)}</span>
            <span className="record-card__from">
              In {entry.mailbox} since {new Date(entry.firstSeenAt).toLocaleString()}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
