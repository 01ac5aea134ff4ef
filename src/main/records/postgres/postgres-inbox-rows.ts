import { inboxRecordOf, type InboxRecord } from '../inbox-records';
import type { PostgresTx } from './postgres-db';

/**
 * What a record list selects: inbox-records.ts's recordColumns, without the raw bytes. A list or a case's
 * thread shows its messages, it does not open them, and over a connection every byte selected is sent.
 */
export const recordColumnsWithoutRaw = `m.id, m.inbox, m.target, m.account_key, m.mailbox, m.uid_validity, m.uid, m.message_id, m.raw_sha256,
  m.raw_size, m.subject, m.from_address, m.from_name, m.sent_at, m.fields, m.in_reply_to, m.reference_ids, m.parse_error,
  m.activity_note_id, m.case_id, m.retrieved_at, m.thread_role, m.matched_by, m.flagged, m.automated_because,
  t.name AS type_name, n.owner AS note_owner, c.queue AS case_queue`;

/** The rows (selected as recordColumnsWithoutRaw) as records, with their attachments fetched in one statement. */
export async function inboxRecordsOf(tx: PostgresTx, rows: ReadonlyArray<Record<string, unknown>>): Promise<InboxRecord[]> {
  if (rows.length === 0) return [];
  const attachments = await tx.query(
    'SELECT inbox_message_id, file_name, content_type, size, sha256 FROM inbox_attachments WHERE inbox_message_id = ANY($1::bigint[]) ORDER BY inbox_message_id, position',
    [rows.map((row) => String(row['id']))],
  );
  const byMessage = new Map<number, Array<Record<string, unknown>>>();
  for (const attachment of attachments) {
    const messageId = Number(attachment['inbox_message_id']);
    const list = byMessage.get(messageId) ?? [];
    list.push(attachment);
    byMessage.set(messageId, list);
  }
  return rows.map((row) => inboxRecordOf(row, byMessage.get(Number(row['id'])) ?? []));
}

/** A bytea column's value as the SQLite adapter returns a BLOB: a Uint8Array (node-postgres gives a Buffer). */
export function bytesOf(value: Buffer): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
