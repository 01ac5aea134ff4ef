import type { DatabaseSync } from 'node:sqlite';
import { inboxRecordOf, type InboxRecord } from './inbox-records';

/**
 * One inbox record by its id, for the records view's detail and the CLI's `records raw`. The same row and
 * words as InboxRecords.list (inbox-records.ts), which lists an inbox's records; this opens one.
 */
export type InboxRecordLookup = (id: number) => InboxRecord | null;

export function inboxRecordLookupOn(db: DatabaseSync): InboxRecordLookup {
  const selectRecord = db.prepare(`
    SELECT m.*, t.name AS type_name FROM inbox_messages m
    LEFT JOIN activity_notes n ON n.id = m.activity_note_id LEFT JOIN activity_types t ON t.id = n.type_id
    WHERE m.id = ?`);
  const selectAttachments = db.prepare('SELECT file_name, content_type, size, sha256 FROM inbox_attachments WHERE inbox_message_id = ? ORDER BY position');
  return (id) => {
    const row = selectRecord.get(id) as Record<string, unknown> | undefined;
    return row ? inboxRecordOf(row, selectAttachments.all(id) as Array<Record<string, unknown>>) : null;
  };
}
