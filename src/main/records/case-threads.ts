import type { DatabaseSync } from 'node:sqlite';
import { automatedMessageOf } from '../inbox/cases/automated-message';
import { matchCase, type CaseLookup } from '../inbox/cases/thread-match';
import type { ParsedInbound } from '../inbox/inbound-message';
import { readHeaderSection } from '../inbox/parse/header-section';

/** What a Service Desk message is to its case. */
export type ThreadRole = 'opened' | 'reply' | 'auto-reply';
export type MatchedBy = 'in-reply-to' | 'references' | 'subject';

/** Where a Service Desk message goes: a new case, or an existing one (or none, for an auto-reply that answers nothing). */
export interface CasePlacement {
  readonly role: ThreadRole;
  /** The case it joins; null when it opens one (role 'opened') or joins none (an unmatched auto-reply). */
  readonly caseId: number | null;
  readonly matchedBy: MatchedBy | null;
  readonly flagged: boolean;
  /** Why it is taken for an auto-reply or a report ("Auto-Submitted: auto-replied"); null for a person's mail. */
  readonly automatedBecause: string | null;
}

export interface CaseThreads {
  /** Decides where a message goes, from what the records held before it (call inside the storing transaction). */
  place(parsed: ParsedInbound, raw: Uint8Array): CasePlacement;
}

export function caseThreadsOn(db: DatabaseSync): CaseThreads {
  const selectByMessageId = db.prepare(`
    SELECT case_id FROM inbox_messages WHERE target = 'serviceDesk' AND message_id = ? AND case_id IS NOT NULL
    UNION ALL SELECT case_id FROM case_acknowledgements WHERE message_id = ? LIMIT 1`);
  const selectCase = db.prepare('SELECT 1 FROM cases WHERE id = ?');
  const selectKnownSender = db.prepare(`
    SELECT 1 FROM cases WHERE id = ? AND from_address = ?
    UNION ALL SELECT 1 FROM inbox_messages WHERE case_id = ? AND from_address = ? LIMIT 1`);
  const lookup: CaseLookup = {
    caseOfMessageId: (messageId) => (selectByMessageId.get(messageId, messageId) as { case_id: number } | undefined)?.case_id ?? null,
    // An installation's own records number their cases themselves: a tag names case n or none.
    caseOfTag: (caseNumber) => (selectCase.get(caseNumber) === undefined ? null : caseNumber),
    senderKnownToCase: (caseId, address) => selectKnownSender.get(caseId, address, caseId, address) !== undefined,
  };
  return { place: (parsed, raw) => casePlacementOf(parsed, raw, lookup) };
}

/** Where a message goes, from its header and what the records know about cases (every database's adapter). */
export function casePlacementOf(parsed: ParsedInbound, raw: Uint8Array, lookup: CaseLookup): CasePlacement {
  const header = readHeaderSection(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  const automated = automatedMessageOf(header.fields);
  const match = matchCase(parsed, lookup);
  const flagged = match?.matchedBy === 'subject' && match.flagged;
  if (automated) {
    return { role: 'auto-reply', caseId: match?.caseId ?? null, matchedBy: match?.matchedBy ?? null, flagged, automatedBecause: automated.because };
  }
  if (match) return { role: 'reply', caseId: match.caseId, matchedBy: match.matchedBy, flagged, automatedBecause: null };
  return { role: 'opened', caseId: null, matchedBy: null, flagged: false, automatedBecause: null };
}
