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
  const facts = tagged === null ? null : await taggedCaseFacts(tx, tagged, message.fromAddress);
  return {
    caseOfMessageId: (messageId) => casesByMessageId.get(messageId) ?? null,
    caseExists: (caseId) => caseId === tagged && facts?.caseExists === true,
    senderKnownToCase: (caseId, address) => caseId === tagged && address === message.fromAddress && facts?.senderKnown === true,
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

/** Whether the case a subject's tag names exists, and whether this address opened it, wrote to it or was answered on it. */
async function taggedCaseFacts(tx: PostgresTx, caseId: number, fromAddress: string | null): Promise<{ caseExists: boolean; senderKnown: boolean }> {
  const [row] = await tx.query<{ case_exists: boolean; sender_known: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1) AS case_exists,
       EXISTS (SELECT 1 FROM cases WHERE id = $1 AND from_address = $2
               UNION ALL SELECT 1 FROM inbox_messages WHERE case_id = $1 AND from_address = $2) AS sender_known`,
    [caseId, fromAddress],
  );
  return { caseExists: row?.case_exists === true, senderKnown: row?.sender_known === true };
}
