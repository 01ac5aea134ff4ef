import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
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
});
