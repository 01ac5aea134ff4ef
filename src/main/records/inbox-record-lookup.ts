import type { DatabaseSync } from 'node:sqlite';
import type { InboxId, LeadFields } from '../inbox/inbound-message';
import { caseReference, type InboxRecord } from './inbox-records';

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
    if (!row) return null;
    const caseId = row['case_id'] === null ? null : Number(row['case_id']);
    return {
      id,
      inbox: String(row['inbox']) as InboxId,
      accountKey: String(row['account_key']),
      mailbox: String(row['mailbox']),
      uidValidity: Number(row['uid_validity']),
      uid: Number(row['uid']),
      messageId: (row['message_id'] as string | null) ?? null,
      rawSha256: String(row['raw_sha256']),
      rawSize: Number(row['raw_size']),
      subject: String(row['subject']),
      fromAddress: (row['from_address'] as string | null) ?? null,
      fromName: (row['from_name'] as string | null) ?? null,
      date: (row['sent_at'] as string | null) ?? null,
      fields: JSON.parse(String(row['fields'])) as LeadFields,
      inReplyTo: JSON.parse(String(row['in_reply_to'])) as string[],
      references: JSON.parse(String(row['reference_ids'])) as string[],
      parseError: (row['parse_error'] as string | null) ?? null,
      type: (row['type_name'] as string | null) ?? null,
      activityNoteId: row['activity_note_id'] === null ? null : Number(row['activity_note_id']),
      caseId,
      caseReference: caseId === null ? null : caseReference(caseId),
      retrievedAt: String(row['retrieved_at']),
      attachments: (selectAttachments.all(id) as Array<Record<string, unknown>>).map((a) => ({
        fileName: String(a['file_name']),
        contentType: String(a['content_type']),
        size: Number(a['size']),
        sha256: String(a['sha256']),
      })),
    };
  };
}
