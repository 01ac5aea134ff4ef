import type { DatabaseSync } from 'node:sqlite';
import type { BatchLimits } from './copy-run';

/** A row as node:sqlite returns it: column name → value (numbers, text, Uint8Array for a BLOB, null). */
export type SourceRow = Readonly<Record<string, unknown>>;

/** The tables read by id, in batches. */
export type IdTable = 'activity_types' | 'cases' | 'activity_notes' | 'inbox_messages' | 'inbox_runs' | 'inbox_quarantine' | 'case_acknowledgements';

/**
 * The bytes a row of these tables brings into memory, without reading them: raw_size is kept beside the
 * message, and length() of a BLOB is read from the row's header (https://sqlite.org/c3ref/column_blob.html).
 */
const sizeOf: Partial<Record<IdTable, string>> = {
  inbox_messages: 'raw_size',
  activity_notes: 'coalesce(length(raw_message), 0)',
};

/** The installation's id (migration 11): who copied a row, whatever its data directory is called now. */
export function installationIdOf(db: DatabaseSync): string {
  const row = db.prepare('SELECT id FROM installation').get() as { id: string } | undefined;
  if (!row) throw new Error('The records database has no installation id (migration 11 not applied).');
  return row.id;
}

/** The ids of the next batch of `table` after `afterId`, in id order, within `limits`. */
export function nextBatchIds(db: DatabaseSync, table: IdTable, afterId: number, limits: BatchLimits): number[] {
  const rows = db.prepare(`SELECT id, ${sizeOf[table] ?? '0'} AS size FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`).all(afterId, limits.rows) as Array<{ id: number; size: number }>;
  const ids: number[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (ids.length > 0 && bytes + row.size > limits.bytes) break;
    ids.push(row.id);
    bytes += row.size;
  }
  return ids;
}

/** The rows of `table` with these ids, in id order. */
export function rowsByIds(db: DatabaseSync, table: IdTable, ids: readonly number[]): SourceRow[] {
  if (ids.length === 0) return [];
  return db.prepare(`SELECT * FROM ${table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).all(JSON.stringify(ids)) as SourceRow[];
}

/** The attachments (what they are: their bytes are in the raw message) of these messages, in order. */
export function attachmentsOf(db: DatabaseSync, messageIds: readonly number[]): SourceRow[] {
  if (messageIds.length === 0) return [];
  return db
    .prepare('SELECT * FROM inbox_attachments WHERE inbox_message_id IN (SELECT value FROM json_each(?)) ORDER BY inbox_message_id, position')
    .all(JSON.stringify(messageIds)) as SourceRow[];
}

/** Every row of a small table keyed by its inbox (mailbox_counters, first_import_questions). */
export function allRows(db: DatabaseSync, table: 'mailbox_counters' | 'first_import_questions'): SourceRow[] {
  return db.prepare(`SELECT * FROM ${table} ORDER BY inbox`).all() as SourceRow[];
}

export function maxId(db: DatabaseSync, table: IdTable): number {
  return (db.prepare(`SELECT coalesce(max(id), 0) AS max FROM ${table}`).get() as { max: number }).max;
}

/** A column's value as a number (ids, counts); throws on anything else, which would be a damaged row. */
export function numberIn(row: SourceRow, column: string): number {
  const value = row[column];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new TypeError(`${column} is not a number`);
}

/** A nullable id column (activity_note_id, case_id). */
export function idOrNull(row: SourceRow, column: string): number | null {
  return row[column] === null ? null : numberIn(row, column);
}
