import { activityNoteOf } from '../activity-note-row';
import type { RecordsStore } from '../records-store';
import { postgresActivityTypeRecordsOn } from './postgres-activity-type-records';
import { postgresCaseAcknowledgementRecordsOn } from './postgres-case-acknowledgement-records';
import { openPostgresRecordsDatabase } from './postgres-database';
import { postgresDbOn } from './postgres-db';
import { postgresFirstImportQuestionsOn } from './postgres-first-import-questions';
import { postgresInboxQuarantineOn } from './postgres-inbox-quarantine';
import { postgresInboxRecordLookupOn } from './postgres-inbox-record-lookup';
import { postgresInboxRecordsOn } from './postgres-inbox-records';
import { postgresInboxRunRecordsOn } from './postgres-inbox-run-records';
import { postgresMailboxCountersOn } from './postgres-mailbox-counters';
import { postgresMailboxLeasesOn } from './postgres-mailbox-leases';
import { postgresSharedSettingsOn } from './postgres-shared-settings';


/**
 * The records in a PostgreSQL database that several installations share (migrated on opening). Each
 * part does what its SQLite counterpart does, in PostgreSQL's dialect; what one SQLite transaction did
 * is one PostgreSQL transaction here.
 */
export async function openPostgresRecordsStore(url: string, now: () => Date = () => new Date()): Promise<RecordsStore> {
  const pool = await openPostgresRecordsDatabase(url);
  const db = postgresDbOn(pool);

  return {
    activityTypes: async () =>
      (await db.query<{ id: number; name: string }>('SELECT id, name FROM activity_types ORDER BY id')).map((row) => ({ id: Number(row.id), name: row.name })),
    addActivityNote: async (note) => {
      // One statement: the type is looked up where the note is inserted, so no retire can come between.
      const [row] = await db.query<{ id: number }>(`
        INSERT INTO activity_notes (type_id, subject, from_address, to_addresses, occurred_at, body_html, raw_message, created_at)
        SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM activity_types WHERE name = $1
        RETURNING id`, [
        note.typeName,
        note.subject,
        note.from,
        JSON.stringify(note.to),
        note.occurredAt.toISOString(),
        note.bodyHtml,
        note.rawMessage,
        now().toISOString(),
      ]);
      if (!row) throw new Error(`Unknown activity type “${note.typeName}”`);
      return { id: Number(row.id), type: note.typeName, subject: note.subject, from: note.from, to: [...note.to], occurredAt: note.occurredAt.toISOString(), bodyHtml: note.bodyHtml, rawMessage: note.rawMessage };
    },
    activityNotes: async ({ limit = 100 } = {}) =>
      (await db.query<Record<string, unknown>>(`
        SELECT n.id, t.name AS type, n.subject, n.from_address, n.to_addresses, n.occurred_at, n.body_html, n.raw_message
        FROM activity_notes n JOIN activity_types t ON t.id = n.type_id
        ORDER BY n.occurred_at DESC, n.id DESC LIMIT $1`, [limit])).map(activityNoteOf),
    inbox: postgresInboxRecordsOn(db, now),
    inboxRecord: postgresInboxRecordLookupOn(db),
    types: postgresActivityTypeRecordsOn(db),
    inboxRuns: postgresInboxRunRecordsOn(db),
    quarantine: postgresInboxQuarantineOn(db, now),
    counters: postgresMailboxCountersOn(db, now),
    caseAcknowledgements: postgresCaseAcknowledgementRecordsOn(db, now),
    firstImportQuestions: postgresFirstImportQuestionsOn(db, now),
    leases: postgresMailboxLeasesOn(db),
    sharedSettings: postgresSharedSettingsOn(db),
    shared: true,
    close: () => pool.end(),
  };
}
