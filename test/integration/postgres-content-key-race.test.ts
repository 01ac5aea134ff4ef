import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailboxLocation, RetrievedMessage } from '../../src/main/records/inbox-records';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';

const location: MailboxLocation = { inbox: 'lead', accountKey: 'imap.example.test/sales@example.test', mailbox: 'INBOX', uidValidity: 7 };
const messageId = 'form-7@example.test';
const raw = Buffer.from(`Message-ID: <${messageId}>\r\nSubject: lead\r\n\r\nCall me\r\n`);
const rawSha256 = createHash('sha256').update(raw).digest('hex');
const retrieved: RetrievedMessage = {
  uid: 5,
  raw,
  rawSha256,
  storeIfNew: true,
  parsed: {
    messageId, subject: 'lead', fromAddress: 'forms@example.test', fromName: null, date: null, inReplyTo: [], references: [],
    text: 'Call me', html: null, fields: {}, parseError: null, attachments: [],
  },
};

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

/**
 * The content key is the shared database's own (a unique index), not only the batch's check: a writer
 * that does not take the batches' advisory lock (a copy into the shared database, another version) can
 * commit a message between a batch's check and its insert. The batch then finds it kept, not a failure.
 */
describe('PostgreSQL: a copy committed between a batch’s check and its insert', () => {
  let database: TestDatabase;
  let store: RecordsStore;
  let writer: Client;
  beforeEach(async () => {
    database = await createTestDatabase();
    store = await openRecordsStore({ databaseUrl: database.url });
    writer = new Client({ connectionString: database.url });
    writer.on('error', () => undefined);
    await writer.connect();
  });
  afterEach(async () => {
    await writer.end();
    await store.close();
    await database.drop();
  });

  it('makes the batch report it kept by content, keeping it once and leaving no record of its own attempt', async () => {
    // The other writer keeps the same message (another account's UID, so only the content key can meet it), uncommitted.
    await writer.query('BEGIN');
    const [note] = (await writer.query<{ id: number }>(`
      INSERT INTO activity_notes (type_id, subject, from_address, to_addresses, occurred_at, body_html, created_at)
      VALUES ((SELECT id FROM activity_types WHERE name = 'Web Lead'), 'lead', 'forms@example.test', '[]', '2026-11-24', '', '2026-11-24') RETURNING id`)).rows;
    await writer.query(`
      INSERT INTO inbox_messages (inbox, target, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, raw,
        subject, fields, in_reply_to, reference_ids, activity_note_id, retrieved_at)
      VALUES ('lead', 'lead', 'imap.example.test/copied@example.test', 'INBOX', 1, 1, $1, $2, $3, $4, 'lead', '{}', '[]', '[]', $5, '2026-11-24')`,
    [messageId, rawSha256, raw.byteLength, raw, note?.id]);

    // The batch checks (the copy is not visible yet), inserts, and waits on the unique index for the writer.
    const batch = store.inbox.storeBatch(location, [retrieved], { leadActivityType: 'Web Lead' });
    await until('the batch waits on the writer’s uncommitted copy', async () => {
      const { rows } = await writer.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
      );
      return (rows[0]?.waiting ?? 0) > 0;
    });
    await writer.query('COMMIT');

    expect(await batch).toEqual([{ uid: 5, kind: 'alreadyStored', by: 'content' }]);
    const { rows } = await writer.query<{ messages: number; notes: number }>(
      'SELECT (SELECT count(*)::int FROM inbox_messages) AS messages, (SELECT count(*)::int FROM activity_notes) AS notes',
    );
    // The writer's copy and its note; the batch's own note went with its attempt.
    expect(rows[0]).toEqual({ messages: 1, notes: 1 });
  });
});
