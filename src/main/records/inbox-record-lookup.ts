import type { DatabaseSync } from 'node:sqlite';
import { inboxRecordOf, recordColumns, recordJoins, type InboxRecord } from './inbox-records';

/**
 * One inbox record by its id, for the records view's detail and the CLI's `records raw`. The same row and
 * words as InboxRecords.list (inbox-records.ts), which lists an inbox's records; this opens one.
 */
export type InboxRecordLookup = (id: number) => Promise<InboxRecord | null>;

export function inboxRecordLookupOn(db: DatabaseSync): InboxRecordLookup {
  const selectRecord = db.prepare(`
    SELECT ${recordColumns} FROM ${recordJoins}
    WHERE m.id = ?`);
  const selectAttachments = db.prepare('SELECT file_name, content_type, size, sha256 FROM inbox_attachments WHERE inbox_message_id = ? ORDER BY position');
  return async (id) => {
    const row = selectRecord.get(id) as Record<string, unknown> | undefined;
    return row ? inboxRecordOf(row, selectAttachments.all(id) as Array<Record<string, unknown>>) : null;
  };
}
