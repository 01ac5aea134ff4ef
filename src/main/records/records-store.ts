import { activityTypeRecordsOn, type ActivityTypeRecords } from './activity-type-records';
import { caseAcknowledgementRecordsOn, type CaseAcknowledgementRecords } from './case-acknowledgement-records';
import { inboxRecordLookupOn, type InboxRecordLookup } from './inbox-record-lookup';
import { inboxQuarantineOn, type InboxQuarantine } from './inbox-quarantine';
import { inboxRecordsOn, type InboxRecords } from './inbox-records';
import { inboxRunRecordsOn, type InboxRunRecords } from './inbox-run-records';
import { firstImportQuestionsOn, type FirstImportQuestions } from './first-import-questions';
import { mailboxCountersOn, type MailboxCounters } from './mailbox-counters';
import { mailboxLeasesOn, type MailboxLeases } from './mailbox-leases';
import { openPostgresRecordsStore } from './postgres/postgres-records-store';
import { activityNoteOf } from './activity-note-row';
import { openRecordsDatabase } from './records-database';
import { sharedSettingsOn, type SharedSettings } from './shared-settings';

export interface ActivityType {
  readonly id: number;
  readonly name: string;
}

export interface NewActivityNote {
  readonly typeName: string;
  readonly subject: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly occurredAt: Date;
  readonly bodyHtml: string;
  /** The message exactly as sent (RFC 5322 bytes), when there is one. */
  readonly rawMessage: Uint8Array | null;
}

export interface ActivityNote extends Omit<NewActivityNote, 'typeName' | 'occurredAt'> {
  readonly id: number;
  readonly type: string;
  readonly occurredAt: string;
}

/**
 * The records, whichever database keeps them. Every method is asynchronous, so that a database reached
 * over a connection can implement it; each one is a whole unit of work (what must be atomic, such as a
 * batch and its mailbox counter, is one method and one transaction), so no caller holds a transaction
 * open across its own awaits.
 */
export interface RecordsStore {
  activityTypes(): Promise<ActivityType[]>;
  addActivityNote(note: NewActivityNote): Promise<ActivityNote>;
  activityNotes(options?: { readonly limit?: number }): Promise<ActivityNote[]>;
  /** Messages taken from the Lead and Service Desk inboxes, and the records they became. */
  readonly inbox: InboxRecords;
  /** One inbox record by id (the records view's detail, `records raw`). */
  readonly inboxRecord: InboxRecordLookup;
  /** The Type manager's view of the activity types: add, rename, retire (never delete one in use). */
  readonly types: ActivityTypeRecords;
  /** How each inbox's retrieval runs ended. */
  readonly inboxRuns: InboxRunRecords;
  /** Messages left on the server because they could not be kept (too large, a refused fetch). */
  readonly quarantine: InboxQuarantine;
  /** "Leave messages on the server": the highest UID kept per inbox's mailbox and UIDVALIDITY. */
  readonly counters: MailboxCounters;
  /** Service Desk acknowledgements queued with new cases, sent after the commit, at most hourly per sender. */
  readonly caseAcknowledgements: CaseAcknowledgementRecords;
  /** The first connection's "Import all" / "Only mail arriving from now on", while unanswered. */
  readonly firstImportQuestions: FirstImportQuestions;
  /** One retriever per mailbox across the installations that share these records (mailbox-leases.ts). */
  readonly leases: MailboxLeases;
  /** Settings every installation on a shared database shares (team mode; shared-settings.ts). */
  readonly sharedSettings: SharedSettings;
  /** Several installations may use these records at once (PostgreSQL); the embedded SQLite store is one's own. */
  readonly shared: boolean;
  close(): Promise<void>;
}

/** Where the records are: a data directory (its embedded SQLite file), or a PostgreSQL database a team shares. */
export type RecordsLocation = string | { readonly databaseUrl: string };

/**
 * The records at `location`. A data directory holds the app's embedded records database (node:sqlite,
 * built into Node 22 and Electron): WAL for concurrent readers, synchronous=FULL so that a record is on
 * disk before the caller goes on (the inboxes delete a message from the server only after that),
 * versioned migrations. A database URL opens the same records on PostgreSQL (postgres/).
 */
export async function openRecordsStore(location: RecordsLocation, now: () => Date = () => new Date()): Promise<RecordsStore> {
  if (typeof location !== 'string') return openPostgresRecordsStore(location.databaseUrl, now);
  const db = await openRecordsDatabase(location);

  const insertNote = db.prepare(`
    INSERT INTO activity_notes (type_id, subject, from_address, to_addresses, occurred_at, body_html, raw_message, created_at)
    VALUES ((SELECT id FROM activity_types WHERE name = ?), ?, ?, ?, ?, ?, ?, ?)
    RETURNING id`);
  const selectNotes = db.prepare(`
    SELECT n.id, t.name AS type, n.subject, n.from_address, n.to_addresses, n.occurred_at, n.body_html, n.raw_message
    FROM activity_notes n JOIN activity_types t ON t.id = n.type_id
    ORDER BY n.occurred_at DESC, n.id DESC LIMIT ?`);

  return {
    activityTypes: async () => db.prepare('SELECT id, name FROM activity_types ORDER BY id').all() as unknown as ActivityType[],
    addActivityNote: async (note) => {
      const known = db.prepare('SELECT 1 FROM activity_types WHERE name = ?').get(note.typeName);
      if (!known) throw new Error(`Unknown activity type “${note.typeName}”`);
      const { id } = insertNote.get(
        note.typeName,
        note.subject,
        note.from,
        JSON.stringify(note.to),
        note.occurredAt.toISOString(),
        note.bodyHtml,
        note.rawMessage,
        now().toISOString(),
      ) as { id: number };
      return { id, type: note.typeName, subject: note.subject, from: note.from, to: [...note.to], occurredAt: note.occurredAt.toISOString(), bodyHtml: note.bodyHtml, rawMessage: note.rawMessage };
    },
    activityNotes: async ({ limit = 100 } = {}) =>
      (selectNotes.all(limit) as Array<Record<string, unknown>>).map(activityNoteOf),
    inbox: inboxRecordsOn(db, now),
    inboxRecord: inboxRecordLookupOn(db),
    types: activityTypeRecordsOn(db),
    inboxRuns: inboxRunRecordsOn(db),
    quarantine: inboxQuarantineOn(db, now),
    counters: mailboxCountersOn(db, now),
    caseAcknowledgements: caseAcknowledgementRecordsOn(db, now),
    firstImportQuestions: firstImportQuestionsOn(db, now),
    leases: mailboxLeasesOn(db, now),
    sharedSettings: sharedSettingsOn(db, now),
    shared: false,
    close: async () => db.close(),
  };
}
