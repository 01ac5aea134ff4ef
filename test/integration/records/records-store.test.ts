import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { ParsedInbound } from '../../../src/main/inbox/inbound-message';
import type { MailboxLocation, RetrievedMessage } from '../../../src/main/records/inbox-records';
import { recordsMigrations } from '../../../src/main/records/records-migrations';
import { openRecordsStore } from '../../../src/main/records/records-store';
import { recordsAdapters, type OpenedRecords } from '../../support/records-adapters';

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

describe.each(recordsAdapters)('the records store ($name)', (adapter) => {
  let records: OpenedRecords;
  beforeEach(async () => {
    records = await adapter.open();
  });
  afterEach(() => records.close());

  it('starts with the three activity types', async () => {
    const { store } = records;
    expect((await store.activityTypes()).map((t) => t.name)).toEqual(['Email Sent', 'Web Lead', 'Service Desk']);
  });

  it('keeps an activity note with the raw message across reopening, and migrates only once', async () => {
    const raw = new TextEncoder().encode('Subject: Hello\r\n\r\nBody\r\n');
    const first = records.store;
    const note = await first.addActivityNote({
      typeName: 'Email Sent', subject: 'Hello', from: 'sales@example.test', to: ['a@example.test', 'b@example.test'],
      occurredAt: new Date('2026-11-24T10:00:00Z'), bodyHtml: '<p>Body</p>', rawMessage: raw,
    });
    await first.close();
    const second = await records.openAgain();
    const [stored] = await second.activityNotes();
    expect(stored).toMatchObject({ id: note.id, type: 'Email Sent', subject: 'Hello', to: ['a@example.test', 'b@example.test'], occurredAt: '2026-11-24T10:00:00.000Z' });
    expect(Buffer.from(stored?.rawMessage ?? []).toString()).toBe('Subject: Hello\r\n\r\nBody\r\n');
    expect(await second.activityTypes()).toHaveLength(3);
    await second.close();
  });

  it('refuses a note of an unknown type instead of storing it typeless', async () => {
    const { store } = records;
    await expect(store.addActivityNote({ typeName: 'Nope', subject: 's', from: 'f', to: [], occurredAt: new Date(), bodyHtml: '', rawMessage: null })).rejects.toThrow(/Unknown activity type/);
    expect(await store.activityNotes()).toEqual([]);
    await store.close();
  });

  describe('inbox messages', () => {
    it('keeps raw bytes, parsed fields, attachments and an activity note in one batch, and recognises them again by UID and by content', async () => {
      const { store } = records;
      const first = await store.inbox.storeBatch(location, [message(1, 'one'), message(2, 'two', { parseError: 'broken MIME' })], target);
      expect(first.map((o) => o.kind)).toEqual(['stored', 'stored']);
      // Again at the same UIDs; then the same bytes under a new UIDVALIDITY; then a message another program marked \Deleted.
      expect(await store.inbox.storeBatch(location, [message(1, 'one')], target)).toEqual([{ uid: 1, kind: 'alreadyStored', by: 'uid' }]);
      expect(await store.inbox.storeBatch({ ...location, uidValidity: 8 }, [message(1, 'two')], target)).toEqual([{ uid: 1, kind: 'alreadyStored', by: 'content' }]);
      expect(await store.inbox.storeBatch(location, [{ ...message(3, 'three'), storeIfNew: false }], target)).toEqual([{ uid: 3, kind: 'notStored' }]);
      expect(await store.inbox.storedUids(location, 1, 10)).toEqual(new Set([1, 2]));

      const [two, one] = await store.inbox.list({ inbox: 'lead' });
      expect(one).toMatchObject({ uid: 1, subject: 'one', type: 'Web Lead', fields: { name: 'Ann' }, parseError: null, caseId: null, attachments: [{ fileName: 'a.txt', size: 2 }] });
      expect(two).toMatchObject({ uid: 2, parseError: 'broken MIME' });
      expect(Buffer.from((await store.inbox.raw(one?.id ?? 0)) ?? []).toString()).toBe(message(1, 'one').raw.toString());
      expect((await store.activityNotes()).map((n) => n.type)).toEqual(['Web Lead', 'Web Lead']);
      await store.close();
    });

    it('opens a case per Service Desk message, shown as [Case #id]', async () => {
      const { store } = records;
      await store.inbox.storeBatch({ ...location, inbox: 'serviceDesk' }, [message(1, 'printer'), message(2, 'screen')], target);
      const cases = await store.inbox.list({ inbox: 'serviceDesk' });
      expect(cases.map((c) => c.caseReference)).toEqual(cases.map((c) => `[Case #${c.caseId}]`));
      expect(new Set(cases.map((c) => c.caseId)).size).toBe(2);
      expect(await store.activityNotes()).toEqual([]);
      await store.close();
    });

    it('keeps nothing of a batch that fails part-way (one transaction)', async () => {
      const { store } = records;
      await store.inbox.storeBatch(location, [message(1, 'one')], target);
      // The disk fills up at the second message of the next batch.
      await records.refuseWrites({ table: 'inbox_messages', column: 'uid', value: 6, message: 'disk full' });
      await expect(store.inbox.storeBatch(location, [message(5, 'five'), message(6, 'six')], target)).rejects.toThrow(/disk full/);
      expect(await store.inbox.storedUids(location, 1, 10)).toEqual(new Set([1]));
      expect(await store.activityNotes()).toHaveLength(1);
      await store.close();
    });

    it('moves the mailbox counter in the batch’s own transaction: both are kept, or neither', async () => {
      const { store } = records;
      await store.inbox.storeBatch(location, [message(1, 'one')], target, { raiseCounter: true });
      expect(await store.counters.highestUid(location)).toBe(1);
      await records.refuseWrites({ table: 'mailbox_counters', column: 'highest_uid', value: 6, message: 'disk full' });
      await expect(store.inbox.storeBatch(location, [message(5, 'five'), message(6, 'six')], target, { raiseCounter: true })).rejects.toThrow(/disk full/);
      expect(await store.inbox.storedUids(location, 1, 10)).toEqual(new Set([1]));
      expect(await store.counters.highestUid(location)).toBe(1);
      // Only what the batch kept moves it: not a message another program marked \Deleted, nor a batch stored without it.
      await store.inbox.storeBatch(location, [{ ...message(9, 'nine'), storeIfNew: false }], target, { raiseCounter: true });
      await store.inbox.storeBatch(location, [message(3, 'three')], target);
      expect(await store.counters.highestUid(location)).toBe(1);
      await store.close();
    });

    it('refuses a Lead Inbox batch for an unknown activity type before keeping anything', async () => {
      const { store } = records;
      await expect(store.inbox.storeBatch(location, [message(1, 'one')], { leadActivityType: 'Nope' })).rejects.toThrow(/Unknown activity type/);
      expect(await store.inbox.list({ inbox: 'lead' })).toEqual([]);
      await store.close();
    });
  });
});

/** What only the embedded file has: its journal mode, and databases an older version of the app left. */
describe('the records store’s SQLite file', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-records-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('is in WAL mode, at the latest migration', async () => {
    const store = await openRecordsStore(dataDir);
    await store.close();
    const db = new DatabaseSync(join(dataDir, 'records.sqlite'));
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: recordsMigrations.at(-1)?.version });
    db.close();
  });

  it('migrates a version-1 database, keeping its notes', async () => {
    const db = new DatabaseSync(join(dataDir, 'records.sqlite'));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    db.exec(recordsMigrations[0]?.sql ?? '');
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?)').run(new Date().toISOString());
    db.exec("INSERT INTO activity_notes (type_id, subject, from_address, to_addresses, occurred_at, body_html, created_at) VALUES (1, 'old', 'a@example.test', '[]', '2026-01-01', '', '2026-01-01')");
    db.close();
    const store = await openRecordsStore(dataDir);
    expect((await store.activityNotes()).map((n) => n.subject)).toEqual(['old']);
    await store.inbox.storeBatch(location, [message(1, 'one')], target);
    expect(await store.inbox.list({ inbox: 'lead' })).toHaveLength(1);
    await store.close();
  });
});
