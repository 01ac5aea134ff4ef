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
  {
    // An attachment's decoded bytes are no longer kept beside the raw message they come from: the raw
    // bytes are kept exactly, and the attachment is decoded again from them when asked
    // (parse/attachment-content.ts; its sha256 here proves it is the same). Keeping both wrote most of
    // a large message twice, and held it twice in memory until the batch was committed (parsing a 50 MB
    // message: 79 MB held beside it before, 11 MB after; `npm run bench`).
    version: 4,
    sql: `
      ALTER TABLE inbox_attachments DROP COLUMN content;
    `,
  },
  {
    // Service Desk threads (issue 13): a reply joins the case it answers instead of opening one; an
    // auto-reply or a bounce (RFC 3834, RFC 3464) joins its case or, when it answers none, is kept
    // without one, never opening a case. Each Service Desk message says what it is to its case
    // (thread_role), how it was matched, and whether the match is doubtful (flagged: only the subject's
    // tag matched, from a sender the case had not seen). An acknowledgement is queued in the same
    // transaction as the case and sent after the commit; its rows also hold the rate limit per sender.
    // SQLite cannot change a CHECK constraint in place, so inbox_messages (and inbox_attachments, which
    // refers to it) are rebuilt (https://sqlite.org/lang_altertable.html#otheralter); attachments are
    // copied and their old table dropped first, so that no ON DELETE CASCADE runs.
    version: 5,
    sql: `
      CREATE TABLE inbox_messages_v5 (
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
        thread_role TEXT CHECK (thread_role IN ('opened', 'reply', 'auto-reply')),
        matched_by TEXT CHECK (matched_by IN ('in-reply-to', 'references', 'subject')),
        flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
        automated_because TEXT,
        UNIQUE (account_key, inbox, mailbox, uid_validity, uid),
        CHECK ((inbox = 'lead' AND activity_note_id IS NOT NULL AND case_id IS NULL AND thread_role IS NULL)
            OR (inbox = 'serviceDesk' AND activity_note_id IS NULL AND thread_role IS NOT NULL
                AND (case_id IS NOT NULL OR thread_role = 'auto-reply')))
      );
      INSERT INTO inbox_messages_v5
        SELECT id, inbox, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, raw, subject, from_address,
          from_name, sent_at, fields, in_reply_to, reference_ids, parse_error, activity_note_id, case_id, retrieved_at,
          CASE inbox WHEN 'serviceDesk' THEN 'opened' END, NULL, 0, NULL
        FROM inbox_messages;
      CREATE TABLE inbox_attachments_v5 (
        id INTEGER PRIMARY KEY,
        inbox_message_id INTEGER NOT NULL REFERENCES inbox_messages_v5(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        UNIQUE (inbox_message_id, position)
      );
      INSERT INTO inbox_attachments_v5 SELECT id, inbox_message_id, position, file_name, content_type, size, sha256 FROM inbox_attachments;
      DROP TABLE inbox_attachments;
      DROP TABLE inbox_messages;
      ALTER TABLE inbox_messages_v5 RENAME TO inbox_messages;
      ALTER TABLE inbox_attachments_v5 RENAME TO inbox_attachments;
      CREATE INDEX inbox_messages_by_content ON inbox_messages (inbox, message_id, raw_sha256);
      CREATE INDEX inbox_messages_by_time ON inbox_messages (inbox, retrieved_at);
      CREATE INDEX inbox_messages_by_case ON inbox_messages (case_id, from_address);
      CREATE TABLE case_acknowledgements (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        recipient TEXT NOT NULL,
        message_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('due', 'sent', 'skipped', 'failed')),
        reason TEXT,
        queued_at TEXT NOT NULL,
        done_at TEXT
      );
      CREATE INDEX case_acknowledgements_by_state ON case_acknowledgements (state, id);
      CREATE INDEX case_acknowledgements_by_recipient ON case_acknowledgements (recipient, state, done_at);
      CREATE INDEX case_acknowledgements_by_message_id ON case_acknowledgements (message_id);
    `,
  },
  {
    // Quarantine (issue 13): a message that cannot be kept (larger than the size limit, a fetch the
    // server keeps refusing) stays on the server and is listed here with its reason, instead of stopping
    // the messages after it. Its identity is the same as a kept message's (RFC 3501 2.3.1.1); attempts
    // and next_retry_at space out the retries of a failing fetch (exponential back-off, capped).
    version: 6,
    sql: `
      CREATE TABLE inbox_quarantine (
        id INTEGER PRIMARY KEY,
        inbox TEXT NOT NULL CHECK (inbox IN ('lead', 'serviceDesk')),
        account_key TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uid_validity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        size INTEGER,
        reason TEXT NOT NULL CHECK (reason IN ('tooLarge', 'fetchFailed')),
        detail TEXT,
        attempts INTEGER NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_attempt_at TEXT NOT NULL,
        next_retry_at TEXT NOT NULL,
        UNIQUE (account_key, inbox, mailbox, uid_validity, uid)
      );
      CREATE INDEX inbox_quarantine_by_inbox ON inbox_quarantine (inbox, first_seen_at);
    `,
  },
  {
    // The mailbox counter (issue 13, "Leave messages on the server"): per inbox, the highest UID kept
    // from its mailbox, valid for that UIDVALIDITY only (RFC 3501 2.3.1.1: UIDs are new once it changes).
    // "Reset mailbox counter" deletes the row; "Only mail arriving from now on" sets it to UIDNEXT-1.
    version: 7,
    sql: `
      CREATE TABLE mailbox_counters (
        inbox TEXT PRIMARY KEY CHECK (inbox IN ('lead', 'serviceDesk')),
        account_key TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uid_validity INTEGER NOT NULL,
        highest_uid INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    // The first connection's question (issue 13), while nobody has answered it: a scheduled or IDLE run
    // must not import a full mailbox the user was just asked about. Answered by "Import all" (any Check
    // now or `retrieve`) or "Only mail arriving from now on".
    version: 8,
    sql: `
      CREATE TABLE first_import_questions (
        inbox TEXT PRIMARY KEY CHECK (inbox IN ('lead', 'serviceDesk')),
        asked_at TEXT NOT NULL
      );
    `,
  },
  {
    // Email Integration mailboxes (issue 15): a message arriving in an integration mailbox is routed by
    // its alias to the Lead Inbox (an activity note of the alias's type, with its owner) or to the Service
    // Desk (a case in the alias's queue). The source column (still named inbox) also takes
    // `integration:<credential id>`, and a message's record kind is its own column, `target`, which the
    // note-or-case rule follows. SQLite cannot change a CHECK constraint in place, so the tables are
    // rebuilt as in migration 5 (https://sqlite.org/lang_altertable.html#otheralter).
    version: 9,
    sql: `
      ALTER TABLE activity_notes ADD COLUMN owner TEXT;
      ALTER TABLE cases ADD COLUMN queue TEXT;
      CREATE TABLE inbox_messages_v9 (
        id INTEGER PRIMARY KEY,
        inbox TEXT NOT NULL CHECK (inbox IN ('lead', 'serviceDesk') OR inbox LIKE 'integration:_%'),
        target TEXT NOT NULL CHECK (target IN ('lead', 'serviceDesk') AND (inbox = target OR inbox LIKE 'integration:_%')),
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
        thread_role TEXT CHECK (thread_role IN ('opened', 'reply', 'auto-reply')),
        matched_by TEXT CHECK (matched_by IN ('in-reply-to', 'references', 'subject')),
        flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
        automated_because TEXT,
        UNIQUE (account_key, inbox, mailbox, uid_validity, uid),
        CHECK ((target = 'lead' AND activity_note_id IS NOT NULL AND case_id IS NULL AND thread_role IS NULL)
            OR (target = 'serviceDesk' AND activity_note_id IS NULL AND thread_role IS NOT NULL
                AND (case_id IS NOT NULL OR thread_role = 'auto-reply')))
      );
      INSERT INTO inbox_messages_v9
        SELECT id, inbox, inbox, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, raw, subject, from_address,
          from_name, sent_at, fields, in_reply_to, reference_ids, parse_error, activity_note_id, case_id, retrieved_at,
          thread_role, matched_by, flagged, automated_because
        FROM inbox_messages;
      CREATE TABLE inbox_attachments_v9 (
        id INTEGER PRIMARY KEY,
        inbox_message_id INTEGER NOT NULL REFERENCES inbox_messages_v9(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        UNIQUE (inbox_message_id, position)
      );
      INSERT INTO inbox_attachments_v9 SELECT id, inbox_message_id, position, file_name, content_type, size, sha256 FROM inbox_attachments;
      DROP TABLE inbox_attachments;
      DROP TABLE inbox_messages;
      ALTER TABLE inbox_messages_v9 RENAME TO inbox_messages;
      ALTER TABLE inbox_attachments_v9 RENAME TO inbox_attachments;
      CREATE INDEX inbox_messages_by_content ON inbox_messages (inbox, message_id, raw_sha256);
      CREATE INDEX inbox_messages_by_time ON inbox_messages (inbox, retrieved_at);
      CREATE INDEX inbox_messages_by_case ON inbox_messages (case_id, from_address);
      CREATE INDEX inbox_messages_by_target ON inbox_messages (target, id);
      CREATE INDEX inbox_messages_by_target_message_id ON inbox_messages (target, message_id);

      CREATE TABLE inbox_runs_v9 (
        id INTEGER PRIMARY KEY,
        inbox TEXT NOT NULL CHECK (inbox IN ('lead', 'serviceDesk') OR inbox LIKE 'integration:_%'),
        finished_at TEXT NOT NULL,
        summary TEXT NOT NULL
      );
      INSERT INTO inbox_runs_v9 SELECT id, inbox, finished_at, summary FROM inbox_runs;
      DROP TABLE inbox_runs;
      ALTER TABLE inbox_runs_v9 RENAME TO inbox_runs;
      CREATE INDEX inbox_runs_by_inbox ON inbox_runs (inbox, id);

      CREATE TABLE inbox_quarantine_v9 (
        id INTEGER PRIMARY KEY,
        inbox TEXT NOT NULL CHECK (inbox IN ('lead', 'serviceDesk') OR inbox LIKE 'integration:_%'),
        account_key TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uid_validity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        size INTEGER,
        reason TEXT NOT NULL CHECK (reason IN ('tooLarge', 'fetchFailed')),
        detail TEXT,
        attempts INTEGER NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_attempt_at TEXT NOT NULL,
        next_retry_at TEXT NOT NULL,
        UNIQUE (account_key, inbox, mailbox, uid_validity, uid)
      );
      INSERT INTO inbox_quarantine_v9 SELECT * FROM inbox_quarantine;
      DROP TABLE inbox_quarantine;
      ALTER TABLE inbox_quarantine_v9 RENAME TO inbox_quarantine;
      CREATE INDEX inbox_quarantine_by_inbox ON inbox_quarantine (inbox, first_seen_at);

      CREATE TABLE mailbox_counters_v9 (
        inbox TEXT PRIMARY KEY CHECK (inbox IN ('lead', 'serviceDesk') OR inbox LIKE 'integration:_%'),
        account_key TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uid_validity INTEGER NOT NULL,
        highest_uid INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      INSERT INTO mailbox_counters_v9 SELECT * FROM mailbox_counters;
      DROP TABLE mailbox_counters;
      ALTER TABLE mailbox_counters_v9 RENAME TO mailbox_counters;

      CREATE TABLE first_import_questions_v9 (
        inbox TEXT PRIMARY KEY CHECK (inbox IN ('lead', 'serviceDesk') OR inbox LIKE 'integration:_%'),
        asked_at TEXT NOT NULL
      );
      INSERT INTO first_import_questions_v9 SELECT * FROM first_import_questions;
      DROP TABLE first_import_questions;
      ALTER TABLE first_import_questions_v9 RENAME TO first_import_questions;
    `,
  },
  {
    // Team use (a records database several installations share): one retriever per mailbox across
    // machines holds its lease here (mailbox_key: the mailbox's identity, account + folder; expires_at:
    // when another installation may take it over), and a message's identity by content, Message-ID (or
    // none) + sha256 per source, becomes a unique key, as (account, mailbox, UIDVALIDITY, UID) already is,
    // so two writers can never keep it twice. COALESCE: a key column that is NULL never conflicts, and
    // most messages without a Message-ID would otherwise escape the key. It serves the content check too,
    // so the plain index it replaces goes.
    version: 10,
    sql: `
      CREATE TABLE mailbox_leases (
        mailbox_key TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        taken_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX inbox_messages_content_key ON inbox_messages (inbox, COALESCE(message_id, ''), raw_sha256);
      DROP INDEX inbox_messages_by_content;
    `,
  },
  {
    // Moving to a shared records database (`mail-settings database migrate`): this installation's own
    // random id, the same for every copy it makes (a data directory can move, its path is no identity),
    // and, in the database copied into, what each copied row became there. A record gets a new id when
    // its own is taken by another installation's, so the copy remembers (installation, table, old id →
    // new id): a rerun copies nothing twice, references follow it, and a case's old `[Case #n]` stays
    // findable (postgres/postgres-case-threads.ts). The table exists on both adapters to keep one schema.
    version: 11,
    sql: `
      CREATE TABLE installation (
        id TEXT PRIMARY KEY NOT NULL,
        created_at TEXT NOT NULL
      );
      INSERT INTO installation (id, created_at) VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      CREATE TABLE record_copies (
        source TEXT NOT NULL,
        source_table TEXT NOT NULL,
        source_id INTEGER NOT NULL,
        target_id INTEGER NOT NULL,
        PRIMARY KEY (source, source_table, source_id)
      );
      CREATE INDEX record_copies_by_source_id ON record_copies (source_table, source_id);
    `,
  },
  {
    // Team use: the settings every installation on a shared database shares (the inboxes' configurations,
    // Email Integration's credentials and aliases; JSON, never a password), each with a revision so that
    // a save made on an out-of-date copy is refused rather than silently undoing another's; and who last
    // held each mailbox's lease, kept after the lease is released, so each installation can say which
    // one empties the mailbox. Both tables exist on both adapters to keep one schema.
    version: 12,
    sql: `
      CREATE TABLE shared_settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL,
        revision INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      );
      CREATE TABLE mailbox_last_holders (
        mailbox_key TEXT PRIMARY KEY NOT NULL,
        holder TEXT NOT NULL,
        name TEXT NOT NULL,
        taken_at TEXT NOT NULL
      );
    `,
  },
  {
    // PostgreSQL's migration 13 chooses LZ4 for the raw messages' compression; SQLite stores them as they
    // are, so nothing changes here. The number keeps both adapters' migrations in step.
    version: 13,
    sql: `-- nothing to change in SQLite`,
  },
];
