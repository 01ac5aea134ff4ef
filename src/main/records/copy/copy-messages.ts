import type { PostgresTx } from '../postgres/postgres-db';
import { copyInBatches, sourceIdOf, type CopiedRow } from './copy-in-batches';
import { copiedBefore, rememberCopies, type CopiedId } from './copy-mapping';
import { parentsFor } from './copy-parents';
import type { CopyRun, CopyTally } from './copy-run';
import { attachmentsOf, idOrNull, numberIn, type SourceRow } from './copy-source';

/** A message the shared database keeps already, and the records it became there. */
interface KeptThere {
  readonly id: number;
  readonly activityNoteId: number | null;
  readonly caseId: number | null;
}

/**
 * The messages of the batch the shared database keeps already: by the exactly-once key (account, source,
 * mailbox, UIDVALIDITY, UID: RFC 3501 2.3.1.1) or by content (source, Message-ID or none, sha256), the two
 * unique keys a retrieval checks too. Another installation's retrieval of the same mailbox, or this one's
 * after it was pointed at the shared database, kept them there first.
 */
async function keptThere(tx: PostgresTx, rows: readonly SourceRow[]): Promise<Map<number, KeptThere>> {
  if (rows.length === 0) return new Map();
  const found = await tx.query<{ source_id: number; id: number; activity_note_id: number | null; case_id: number | null }>(
    `SELECT k.source_id, m.id, m.activity_note_id, m.case_id
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[])
       AS k(source_id, account_key, inbox, mailbox, uid_validity, uid, message_id, raw_sha256)
     JOIN LATERAL (
       SELECT id, activity_note_id, case_id FROM inbox_messages m
       WHERE (m.account_key = k.account_key AND m.inbox = k.inbox AND m.mailbox = k.mailbox AND m.uid_validity = k.uid_validity AND m.uid = k.uid)
          OR (m.inbox = k.inbox AND COALESCE(m.message_id, '') = k.message_id AND m.raw_sha256 = k.raw_sha256)
       ORDER BY id LIMIT 1
     ) m ON true`,
    [
      rows.map(sourceIdOf),
      rows.map((row) => row['account_key']),
      rows.map((row) => row['inbox']),
      rows.map((row) => row['mailbox']),
      rows.map((row) => row['uid_validity']),
      rows.map((row) => row['uid']),
      rows.map((row) => row['message_id'] ?? ''),
      rows.map((row) => row['raw_sha256']),
    ],
  );
  return new Map(found.map((row) => [Number(row.source_id), { id: Number(row.id), activityNoteId: row.activity_note_id, caseId: row.case_id }]));
}

/**
 * A message kept there already made its record there: its note or case here is that one, not a second
 * copy (unless copied before). Remembered like a copy, counted as already there.
 */
async function adoptParents(tx: PostgresTx, run: CopyRun, table: 'activity_notes' | 'cases', pairs: readonly CopiedId[], tally: CopyTally): Promise<void> {
  const unique = [...new Map(pairs.map((pair) => [pair.sourceId, pair])).values()];
  const before = await copiedBefore(tx, run.source, table, unique.map((pair) => pair.sourceId));
  const adopted = unique.filter((pair) => !before.has(pair.sourceId));
  await rememberCopies(tx, run.source, table, adopted);
  tally.counts[table].alreadyThere += adopted.length;
  for (const pair of adopted) tally.handled[table].add(pair.sourceId);
}

function parentPairs(rows: readonly SourceRow[], kept: ReadonlyMap<number, KeptThere>, column: 'activity_note_id' | 'case_id'): CopiedId[] {
  return rows.flatMap((row) => {
    const sourceId = idOrNull(row, column);
    const there = kept.get(sourceIdOf(row));
    const targetId = column === 'case_id' ? there?.caseId : there?.activityNoteId;
    return sourceId === null || targetId === undefined || targetId === null ? [] : [{ sourceId, targetId: Number(targetId) }];
  });
}

async function insertMessage(tx: PostgresTx, row: SourceRow, noteId: number | null, caseId: number | null): Promise<number> {
  const [stored] = await tx.query<{ id: number }>(
    `INSERT INTO inbox_messages (inbox, target, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, raw,
       subject, from_address, from_name, sent_at, fields, in_reply_to, reference_ids, parse_error, activity_note_id, case_id, retrieved_at,
       thread_role, matched_by, flagged, automated_because)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) RETURNING id`,
    [
      row['inbox'], row['target'], row['account_key'], row['mailbox'], row['uid_validity'], row['uid'], row['message_id'], row['raw_sha256'],
      row['raw_size'], row['raw'], row['subject'], row['from_address'], row['from_name'], row['sent_at'], row['fields'], row['in_reply_to'],
      row['reference_ids'], row['parse_error'], noteId, caseId, row['retrieved_at'], row['thread_role'], row['matched_by'], row['flagged'],
      row['automated_because'],
    ],
  );
  return Number(stored?.id);
}

async function insertAttachments(tx: PostgresTx, messageId: number, attachments: readonly SourceRow[]): Promise<void> {
  if (attachments.length === 0) return;
  await tx.query(
    `INSERT INTO inbox_attachments (inbox_message_id, position, file_name, content_type, size, sha256)
     SELECT $1, position, file_name, content_type, size, sha256
     FROM unnest($2::integer[], $3::text[], $4::text[], $5::bigint[], $6::text[]) AS a(position, file_name, content_type, size, sha256)`,
    [
      messageId,
      attachments.map((a) => a['position']),
      attachments.map((a) => a['file_name']),
      attachments.map((a) => a['content_type']),
      attachments.map((a) => a['size']),
      attachments.map((a) => a['sha256']),
    ],
  );
}

function byMessage(attachments: readonly SourceRow[]): Map<number, SourceRow[]> {
  const grouped = new Map<number, SourceRow[]>();
  for (const attachment of attachments) {
    const messageId = numberIn(attachment, 'inbox_message_id');
    grouped.set(messageId, [...(grouped.get(messageId) ?? []), attachment]);
  }
  return grouped;
}

/** The mapped id of a nullable reference; a reference that was not copied would be a bug in the order. */
function mapped(ids: ReadonlyMap<number, number>, sourceId: number | null, what: string): number | null {
  if (sourceId === null) return null;
  const id = ids.get(sourceId);
  if (id === undefined) throw new Error(`${what} ${sourceId} was not copied.`);
  return id;
}

/**
 * Copies inbox_messages with their raw bytes and attachments, and the note or case each became, in
 * batches of bounded bytes (a 10k-message mailbox is never read whole). A message already in the shared
 * database is not copied again; its record there stands for this one's.
 */
export async function copyMessages(run: CopyRun): Promise<void> {
  await copyInBatches(run, 'inbox_messages', async (tx, rows, tally) => {
    const kept = await keptThere(tx, rows);
    await adoptParents(tx, run, 'activity_notes', parentPairs(rows, kept, 'activity_note_id'), tally);
    await adoptParents(tx, run, 'cases', parentPairs(rows, kept, 'case_id'), tally);
    const toCopy = rows.filter((row) => !kept.has(sourceIdOf(row)));
    const notes = await parentsFor(tx, run, 'activity_notes', toCopy.flatMap((row) => idOrNull(row, 'activity_note_id') ?? []), tally);
    const cases = await parentsFor(tx, run, 'cases', toCopy.flatMap((row) => idOrNull(row, 'case_id') ?? []), tally);
    const attachments = byMessage(attachmentsOf(run.from, toCopy.map(sourceIdOf)));
    const copied: CopiedRow[] = [...kept].map(([sourceId, there]) => ({ sourceId, targetId: there.id, copied: false }));
    for (const row of toCopy) {
      const sourceId = sourceIdOf(row);
      const id = await insertMessage(tx, row, mapped(notes, idOrNull(row, 'activity_note_id'), 'Activity note'), mapped(cases, idOrNull(row, 'case_id'), 'Case'));
      const ofMessage = attachments.get(sourceId) ?? [];
      await insertAttachments(tx, id, ofMessage);
      tally.counts.inbox_attachments.copied += ofMessage.length;
      copied.push({ sourceId, targetId: id, copied: true });
    }
    return copied;
  });
}
