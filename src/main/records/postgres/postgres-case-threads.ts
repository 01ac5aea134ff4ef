import { caseNumberInSubject } from '../../inbox/cases/case-subject';
import type { CaseLookup } from '../../inbox/cases/thread-match';
import type { ParsedInbound } from '../../inbox/inbound-message';
import { casePlacementOf, type CasePlacement } from '../case-threads';
import type { PostgresTx } from './postgres-db';

/**
 * Where a Service Desk message goes (case-threads.ts: the same rules), decided inside the storing
 * transaction so that a reply finds a case opened earlier in the same batch. The matching rules ask
 * their questions synchronously; over a connection, the answers they can need are fetched first, in at
 * most two statements, and handed to them.
 */
export async function placeCaseOn(tx: PostgresTx, parsed: ParsedInbound, raw: Uint8Array): Promise<CasePlacement> {
  return casePlacementOf(parsed, raw, await caseLookupFor(tx, parsed));
}

async function caseLookupFor(tx: PostgresTx, message: ParsedInbound): Promise<CaseLookup> {
  const casesByMessageId = await casesOfMessageIds(tx, [...new Set([...message.inReplyTo, ...message.references])]);
  const tagged = caseNumberInSubject(message.subject);
  const named = tagged === null ? null : await caseNamedByTag(tx, tagged, message.fromAddress);
  return {
    caseOfMessageId: (messageId) => casesByMessageId.get(messageId) ?? null,
    caseOfTag: (caseNumber, fromAddress) => (caseNumber === tagged && fromAddress === message.fromAddress ? (named?.caseId ?? null) : null),
    senderKnownToCase: (caseId, address) => caseId === named?.caseId && address === message.fromAddress && named.senderKnown,
  };
}

/**
 * The case each Message-ID belongs to: a Service Desk message kept in a case, else an acknowledgement
 * sent for one; the earliest kept first, as SQLite's `LIMIT 1` over the same UNION ALL finds it.
 */
async function casesOfMessageIds(tx: PostgresTx, messageIds: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (messageIds.length === 0) return found;
  const rows = await tx.query<{ message_id: string; case_id: string }>(
    `SELECT message_id, case_id FROM (
       SELECT message_id, case_id, 0 AS kind, id FROM inbox_messages
         WHERE target = 'serviceDesk' AND message_id = ANY($1::text[]) AND case_id IS NOT NULL
       UNION ALL SELECT message_id, case_id, 1 AS kind, id FROM case_acknowledgements WHERE message_id = ANY($1::text[])
     ) candidates ORDER BY kind, id`,
    [messageIds],
  );
  for (const row of rows) if (!found.has(row.message_id)) found.set(row.message_id, Number(row.case_id));
  return found;
}

/**
 * The case a `[Case #n]` tag names in the shared database, and whether this address opened it, wrote to it
 * or was answered on it. The tag was written by the installation that numbered the case. Copied here
 * (`mail-settings database migrate`), a case kept n when n was free, else got a new id, with n → new id in
 * record_copies. So the cases a tag n can mean are case n and every case copied from a case numbered n:
 * the first of them (case n, then by id) that knows this sender is the one; when none does, case n if it
 * exists, else the first copied from n, and the match is flagged as any tag match from a stranger is.
 */
async function caseNamedByTag(tx: PostgresTx, caseNumber: number, fromAddress: string | null): Promise<{ caseId: number; senderKnown: boolean } | null> {
  const candidates = await tx.query<{ case_id: number; sender_known: boolean }>(
    `SELECT c.case_id,
       EXISTS (SELECT 1 FROM cases WHERE id = c.case_id AND from_address = $2
               UNION ALL SELECT 1 FROM inbox_messages WHERE case_id = c.case_id AND from_address = $2) AS sender_known
     FROM (SELECT id AS case_id, 0 AS rank FROM cases WHERE id = $1
           UNION ALL SELECT target_id, 1 FROM record_copies WHERE source_table = 'cases' AND source_id = $1 AND target_id <> $1) c
     ORDER BY c.rank, c.case_id`,
    [caseNumber, fromAddress],
  );
  const named = candidates.find((candidate) => candidate.sender_known) ?? candidates[0];
  return named ? { caseId: Number(named.case_id), senderKnown: named.sender_known } : null;
}
