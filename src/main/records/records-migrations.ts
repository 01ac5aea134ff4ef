/**
 * The records store's schema, as numbered migrations applied in order inside one transaction each.
 * Never edit a migration that has shipped: add the next one.
 */
export const recordsMigrations: ReadonlyArray<{ readonly version: number; readonly sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE activity_types (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
      );
      INSERT INTO activity_types (name) VALUES ('Email Sent'), ('Web Lead'), ('Service Desk');
      CREATE TABLE activity_notes (
        id INTEGER PRIMARY KEY,
        type_id INTEGER NOT NULL REFERENCES activity_types(id),
        subject TEXT NOT NULL,
        from_address TEXT NOT NULL,
        to_addresses TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        body_html TEXT NOT NULL,
        raw_message BLOB,
        created_at TEXT NOT NULL
      );
      CREATE INDEX activity_notes_by_time ON activity_notes (occurred_at);
    `,
  },
  {
    // Lead Inbox and Service Desk Inbox (issue 11): every message taken from a mailbox, with the exact
    // bytes the server served, what was parsed from it, and the record it became. The raw bytes go in
    // the same transaction as the record rather than into fsync'd content-addressed files: one fsync per
    // batch instead of one per message plus the folder's, measured 4–6× faster for web-form-sized mail
    // and about 1.6× for a mix up to 5 MB (bench/measure-raw-storage.ts), and no file can be left
    // without its record or a record without its file. A message's identity on the server is (mailbox,
    // UIDVALIDITY, UID) (RFC 3501 2.3.1.1), hence the UNIQUE key; after a UIDVALIDITY change only its
    // content tells an old message from a new one, hence the index on Message-ID + sha256.
    version: 2,
    sql: `
      CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        from_address TEXT,
        from_name TEXT,
        opened_at TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE inbox_messages (
        id INTEGER PRIMARY KEY,
        inbox TEXT NOT NULL CHECK (inbox IN ('lead', 'serviceDesk')),
        account_key TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uid_validity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        message_id TEXT,
        raw_sha256 TEXT NOT NULL,
        raw_size INTEGER NOT NULL,
        raw BLOB NOT NULL,
        subject TEXT NOT NULL,
        from_address TEXT,
        from_name TEXT,
        sent_at TEXT,
        fields TEXT NOT NULL,
        in_reply_to TEXT NOT NULL,
        reference_ids TEXT NOT NULL,
        parse_error TEXT,
        activity_note_id INTEGER REFERENCES activity_notes(id),
        case_id INTEGER REFERENCES cases(id),
        retrieved_at TEXT NOT NULL,
        UNIQUE (account_key, inbox, mailbox, uid_validity, uid),
        CHECK ((inbox = 'lead' AND activity_note_id IS NOT NULL AND case_id IS NULL)
            OR (inbox = 'serviceDesk' AND case_id IS NOT NULL AND activity_note_id IS NULL))
      );
      CREATE INDEX inbox_messages_by_content ON inbox_messages (inbox, message_id, raw_sha256);
      CREATE INDEX inbox_messages_by_time ON inbox_messages (inbox, retrieved_at);
      CREATE TABLE inbox_attachments (
        id INTEGER PRIMARY KEY,
        inbox_message_id INTEGER NOT NULL REFERENCES inbox_messages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        content BLOB NOT NULL,
        UNIQUE (inbox_message_id, position)
      );
    `,
  },
  {
    // The Type manager and "Check now" (issue 11): a type that records use is never deleted, only
    // retired (kept for its records, no longer offered); and every retrieval run's outcome, from the app,
    // the CLI or a scheduled run, so each dialog shows the last one whoever ran it.
    version: 3,
    sql: `
      ALTER TABLE activity_types ADD COLUMN retired_at TEXT;
      CREATE TABLE inbox_runs (
        id INTEGER PRIMARY KEY,
        inbox TEXT NOT NULL CHECK (inbox IN ('lead', 'serviceDesk')),
        finished_at TEXT NOT NULL,
        summary TEXT NOT NULL
      );
      CREATE INDEX inbox_runs_by_inbox ON inbox_runs (inbox, id);
    `,
  },
];
