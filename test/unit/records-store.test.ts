import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ParsedInbound } from '../../src/main/inbox/inbound-message';
import type { MailboxLocation, RetrievedMessage } from '../../src/main/records/inbox-records';
import { recordsMigrations } from '../../src/main/records/records-migrations';
import { openRecordsStore } from '../../src/main/records/records-store';

describe('the records store (node:sqlite)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-records-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('starts with the three activity types and in WAL mode', async () => {
    const store = await openRecordsStore(dataDir);
    expect(store.activityTypes().map((t) => t.name)).toEqual(['Email Sent', 'Web Lead', 'Service Desk']);
    store.close();
    const db = new DatabaseSync(join(dataDir, 'records.sqlite'));
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: recordsMigrations.at(-1)?.version });
    db.close();
  });

  it('keeps an activity note with the raw message across reopening, and migrates only once', async () => {
    const raw = new TextEncoder().encode('Subject: Hello\r\n\r\nBody\r\n');
    const first = await openRecordsStore(dataDir);
    const note = first.addActivityNote({
      typeName: 'Email Sent', subject: 'Hello', from: 'sales@example.test', to: ['a@example.test', 'b@example.test'],
      occurredAt: new Date('2026-11-24T10:00:00Z'), bodyHtml: '<p>Body</p>', rawMessage: raw,
    });
    first.close();
    const second = await openRecordsStore(dataDir);
    const [stored] = second.activityNotes();
    expect(stored).toMatchObject({ id: note.id, type: 'Email Sent', subject: 'Hello', to: ['a@example.test', 'b@example.test'], occurredAt: '2026-11-24T10:00:00.000Z' });
    expect(Buffer.from(stored?.rawMessage ?? []).toString()).toBe('Subject: Hello\r\n\r\nBody\r\n');
    expect(second.activityTypes()).toHaveLength(3);
    second.close();
  });

  it('refuses a note of an unknown type instead of storing it typeless', async () => {
    const store = await openRecordsStore(dataDir);
    expect(() => store.addActivityNote({ typeName: 'Nope', subject: 's', from: 'f', to: [], occurredAt: new Date(), bodyHtml: '', rawMessage: null })).toThrow(/Unknown activity type/);
    expect(store.activityNotes()).toEqual([]);
    store.close();
  });

  describe('inbox messages', () => {
    const location: MailboxLocation = { inbox: 'lead', accountKey: 'imap.example.test/sales@example.test', mailbox: 'INBOX', uidValidity: 7 };
    const target = { leadActivityType: 'Web Lead' };

    function message(uid: number, text: string, overrides: Partial<ParsedInbound> = {}): RetrievedMessage {
      const raw = Buffer.from(`Message-ID: <${text}@example.test>\r\nSubject: ${text}\r\n\r\n${text}\r\n`);
      return {
        uid,
        raw,
        rawSha256: createHash('sha256').update(raw).digest('hex'),
        storeIfNew: true,
        parsed: {
          messageId: `${text}@example.test`, subject: text, fromAddress: 'forms@example.test', fromName: 'Forms', date: '2026-11-24T10:00:00.000Z',
          inReplyTo: [], references: [], text, html: null, fields: { name: 'Ann' }, parseError: null,
          attachments: [{ fileName: 'a.txt', contentType: 'text/plain', size: 2, sha256: createHash('sha256').update('hi').digest('hex') }],
          ...overrides,
        },
      };
    }

    it('keeps raw bytes, parsed fields, attachments and an activity note in one batch, and recognises them again by UID and by content', async () => {
      const store = await openRecordsStore(dataDir);
      const first = store.inbox.storeBatch(location, [message(1, 'one'), message(2, 'two', { parseError: 'broken MIME' })], target);
      expect(first.map((o) => o.kind)).toEqual(['stored', 'stored']);
      // Again at the same UIDs; then the same bytes under a new UIDVALIDITY; then a message another program marked \Deleted.
      expect(store.inbox.storeBatch(location, [message(1, 'one')], target)).toEqual([{ uid: 1, kind: 'alreadyStored', by: 'uid' }]);
      expect(store.inbox.storeBatch({ ...location, uidValidity: 8 }, [message(1, 'two')], target)).toEqual([{ uid: 1, kind: 'alreadyStored', by: 'content' }]);
      expect(store.inbox.storeBatch(location, [{ ...message(3, 'three'), storeIfNew: false }], target)).toEqual([{ uid: 3, kind: 'notStored' }]);
      expect(store.inbox.storedUids(location, 1, 10)).toEqual(new Set([1, 2]));

      const [two, one] = store.inbox.list({ inbox: 'lead' });
      expect(one).toMatchObject({ uid: 1, subject: 'one', type: 'Web Lead', fields: { name: 'Ann' }, parseError: null, caseId: null, attachments: [{ fileName: 'a.txt', size: 2 }] });
      expect(two).toMatchObject({ uid: 2, parseError: 'broken MIME' });
      expect(Buffer.from(store.inbox.raw(one?.id ?? 0) ?? []).toString()).toBe(message(1, 'one').raw.toString());
      expect(store.activityNotes().map((n) => n.type)).toEqual(['Web Lead', 'Web Lead']);
      store.close();
    });

    it('opens a case per Service Desk message, shown as [Case #id]', async () => {
      const store = await openRecordsStore(dataDir);
      store.inbox.storeBatch({ ...location, inbox: 'serviceDesk' }, [message(1, 'printer'), message(2, 'screen')], target);
      const cases = store.inbox.list({ inbox: 'serviceDesk' });
      expect(cases.map((c) => c.caseReference)).toEqual(cases.map((c) => `[Case #${c.caseId}]`));
      expect(new Set(cases.map((c) => c.caseId)).size).toBe(2);
      expect(store.activityNotes()).toEqual([]);
      store.close();
    });

    it('keeps nothing of a batch that fails part-way (one transaction)', async () => {
      const store = await openRecordsStore(dataDir);
      store.inbox.storeBatch(location, [message(1, 'one')], target);
      // The disk fills up at the second message of the next batch.
      const db = new DatabaseSync(join(dataDir, 'records.sqlite'));
      db.exec("CREATE TRIGGER disk_full BEFORE INSERT ON inbox_messages WHEN NEW.uid = 6 BEGIN SELECT RAISE(ABORT, 'disk full'); END");
      db.close();
      expect(() => store.inbox.storeBatch(location, [message(5, 'five'), message(6, 'six')], target)).toThrow(/disk full/);
      expect(store.inbox.storedUids(location, 1, 10)).toEqual(new Set([1]));
      expect(store.activityNotes()).toHaveLength(1);
      store.close();
    });

    it('moves the mailbox counter in the batch’s own transaction: both are kept, or neither', async () => {
      const store = await openRecordsStore(dataDir);
      const raiseCounter = (outcomes: readonly { readonly uid: number }[]): void =>
        store.counters.raise(location, Math.max(...outcomes.map((o) => o.uid)));
      store.inbox.storeBatch(location, [message(1, 'one')], target, raiseCounter);
      expect(store.counters.highestUid(location)).toBe(1);
      const db = new DatabaseSync(join(dataDir, 'records.sqlite'));
      db.exec("CREATE TRIGGER counter_fails BEFORE UPDATE ON mailbox_counters WHEN NEW.highest_uid = 6 BEGIN SELECT RAISE(ABORT, 'disk full'); END");
      db.close();
      expect(() => store.inbox.storeBatch(location, [message(5, 'five'), message(6, 'six')], target, raiseCounter)).toThrow(/disk full/);
      expect(store.inbox.storedUids(location, 1, 10)).toEqual(new Set([1]));
      expect(store.counters.highestUid(location)).toBe(1);
      store.close();
    });

    it('refuses a Lead Inbox batch for an unknown activity type before keeping anything', async () => {
      const store = await openRecordsStore(dataDir);
      expect(() => store.inbox.storeBatch(location, [message(1, 'one')], { leadActivityType: 'Nope' })).toThrow(/Unknown activity type/);
      expect(store.inbox.list({ inbox: 'lead' })).toEqual([]);
      store.close();
    });

    it('migrates a version-1 database, keeping its notes', async () => {
      const db = new DatabaseSync(join(dataDir, 'records.sqlite'));
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      db.exec(recordsMigrations[0]?.sql ?? '');
      db.prepare('INSERT INTO schema_migrations VALUES (1, ?)').run(new Date().toISOString());
      db.exec("INSERT INTO activity_notes (type_id, subject, from_address, to_addresses, occurred_at, body_html, created_at) VALUES (1, 'old', 'a@example.test', '[]', '2026-01-01', '', '2026-01-01')");
      db.close();
      const store = await openRecordsStore(dataDir);
      expect(store.activityNotes().map((n) => n.subject)).toEqual(['old']);
      store.inbox.storeBatch(location, [message(1, 'one')], target);
      expect(store.inbox.list({ inbox: 'lead' })).toHaveLength(1);
      store.close();
    });
  });
});
