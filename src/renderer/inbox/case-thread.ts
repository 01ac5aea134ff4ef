import type { InboxRecordSummary } from '../../shared/inbox';

type ThreadFacts = Pick<InboxRecordSummary, 'threadRole' | 'matchedBy' | 'caseId' | 'automatedBecause'>;

const matchedByWords: Readonly<Record<NonNullable<InboxRecordSummary['matchedBy']>, string>> = {
  'in-reply-to': 'its In-Reply-To',
  references: 'its References',
  subject: 'the case number in its subject',
};

/** What a Service Desk message is to its case, in a few plain words; null for a Lead Inbox note. */
export function threadRoleText(record: ThreadFacts): string | null {
  switch (record.threadRole) {
    case null:
      return null;
    case 'opened':
      return 'Opened this case.';
    case 'reply':
      return `Reply, joined to the case by ${matchedByWords[record.matchedBy ?? 'subject']}.`;
    case 'auto-reply': {
      const why = record.automatedBecause === null ? '' : ` (${record.automatedBecause})`;
      return record.caseId === null ? `Auto-reply or report${why}: kept, answers no case, opened none.` : `Auto-reply or report${why}: kept with the case, never reopens it.`;
    }
  }
}

/** Why a flagged message is worth a look. */
export const flaggedText = 'Check the sender: this joined the case only by the case number in its subject, from an address the case had not seen.';

