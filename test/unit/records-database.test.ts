import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailboxLocation, RetrievedMessage } from '../../src/main/records/inbox-records';
import { recordsMigrations } from '../../src/main/records/records-migrations';
import { openRecordsStore } from '../../src/main/records/records-store';

/**
 * The records database file across versions: a new one gets 64 KiB pages; one made by an earlier version
 * (4 KiB pages, attachments kept with their decoded bytes) keeps its pages, loses only the attachments'
 * second copy of their bytes, and keeps every record and raw message.
 */

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');
const location: MailboxLocation = { inbox: 'lead', accountKey: 'imap.example.test/sales@example.test', mailbox: 'INBOX', uidValidity: 7 };

function pragma(path: string, name: string): unknown {
  const db = new DatabaseSync(path);
  try {
    return Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];
  } finally {
    db.close();
  }
}

function retrieved(uid: number, raw: Buffer): RetrievedMessage {
  return {
    uid, raw, rawSha256: sha256(raw), storeIfNew: true,
    parsed: {
      messageId: `m${uid}@example.test`, subject: `message ${uid}`, fromAddress: 'forms@example.test', fromName: null, date: null,
      inReplyTo: [], references: [], text: 'hello', html: null, fields: {}, parseError: null,
      attachments: [{ fileName: 'a.pdf', contentType: 'application/pdf', size: 4, sha256: sha256('%PDF') }],
    },
  };
}

describe('the records database file', () => {
  let dataDir: string;
  let path: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-records-db-'));
    path = join(dataDir, 'records.sqlite');
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('is made with 64 KiB pages, in WAL mode', async () => {
    const store = await openRecordsStore(dataDir);
    await store.inbox.storeBatch(location, [retrieved(1, Buffer.from('Subject: one\r\n\r\nhello\r\n'))], { leadActivityType: 'Web Lead' });
    await store.close();
    expect(pragma(path, 'page_size')).toBe(65536);
    expect(pragma(path, 'journal_mode')).toBe('wal');
  });

  it('made by an earlier version (4 KiB pages, attachment bytes kept twice): keeps its pages, records and raw messages, and drops only the second copy', async () => {
    // The earlier version's database: migrations 1–3, a kept message with an attachment and its bytes.
    const raw = Buffer.from('Subject: old\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--b--\r\n');
    const old = new DatabaseSync(path);
    old.exec('PRAGMA journal_mode = WAL; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of recordsMigrations.filter((m) => m.version <= 3)) {
      old.exec(migration.sql);
      old.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, '2026-11-01T00:00:00.000Z');
    }
    const { id: noteId } = old.prepare("INSERT INTO activity_notes (type_id, subject, from_address, to_addresses, occurred_at, body_html, raw_message, created_at) VALUES (2, 'old', '', '[]', 'x', '', NULL, 'x') RETURNING id").get() as { id: number };
    const { id: messageId } = old.prepare(`
      INSERT INTO inbox_messages (inbox, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, raw, subject, from_address, from_name,
        sent_at, fields, in_reply_to, reference_ids, parse_error, activity_note_id, case_id, retrieved_at)
      VALUES ('lead', ?, 'INBOX', 7, 1, 'old@example.test', ?, ?, ?, 'old', NULL, NULL, NULL, '{}', '[]', '[]', NULL, ?, NULL, '2026-11-01T00:00:00.000Z') RETURNING id`)
      .get(location.accountKey, sha256(raw), raw.length, raw, noteId) as { id: number };
    old.prepare("INSERT INTO inbox_attachments (inbox_message_id, position, file_name, content_type, size, sha256, content) VALUES (?, 0, 'a.pdf', 'application/pdf', 4, ?, ?)")
      .run(messageId, sha256('%PDF'), Buffer.from('%PDF'));
    old.close();
    expect(pragma(path, 'page_size')).toBe(4096);

    const store = await openRecordsStore(dataDir);
    const [record] = await store.inbox.list({ inbox: 'lead' });
    expect(record).toMatchObject({ uid: 1, subject: 'old', rawSha256: sha256(raw), attachments: [{ fileName: 'a.pdf', contentType: 'application/pdf', size: 4, sha256: sha256('%PDF') }] });
    expect(Buffer.from((await store.inbox.raw(record?.id ?? 0)) ?? []).equals(raw)).toBe(true);
    // And it goes on taking messages.
    expect(await store.inbox.storeBatch(location, [retrieved(2, Buffer.from('Subject: new\r\n\r\nhello\r\n'))], { leadActivityType: 'Web Lead' })).toMatchObject([{ uid: 2, kind: 'stored' }]);
    expect(await store.inbox.storedUids(location, 1, 2)).toEqual(new Set([1, 2]));
    await store.close();

    expect(pragma(path, 'page_size')).toBe(4096);
    const db = new DatabaseSync(path);
    expect((db.prepare('PRAGMA table_info(inbox_attachments)').all() as Array<{ name: string }>).map((column) => column.name)).not.toContain('content');
    expect(db.prepare('SELECT max(version) AS version FROM schema_migrations').get()).toEqual({ version: recordsMigrations.at(-1)?.version });
    db.close();
  });
});
