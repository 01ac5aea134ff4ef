import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedInbound } from '../../../src/main/inbox/inbound-message';
import type { InboxRecord, MailboxLocation, RetrievedMessage } from '../../../src/main/records/inbox-records';
import { recordsMigrations } from '../../../src/main/records/records-migrations';
import { openRecordsStore, type RecordsStore } from '../../../src/main/records/records-store';
import { recordsAdapters, type OpenedRecords } from '../../support/records-adapters';

const location: MailboxLocation = { inbox: 'serviceDesk', accountKey: 'imap.example.test/support@example.test', mailbox: 'INBOX', uidValidity: 1 };
const target = { leadActivityType: 'Web Lead' };

interface Mail {
  readonly id: string;
  readonly subject: string;
  readonly from?: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly extraHeader?: readonly string[];
}

let nextUid = 1;
/** A message as retrieval hands it to the records: raw bytes and what was parsed from them. */
function mail({ id, subject, from = 'ann@example.test', inReplyTo, references = [], extraHeader = [] }: Mail): RetrievedMessage {
  const raw = Buffer.from([`Message-ID: <${id}>`, `From: ${from}`, `Subject: ${subject}`, ...extraHeader, '', 'Hello', ''].join('\r\n'));
  const parsed: ParsedInbound = {
    messageId: id, subject, fromAddress: from, fromName: null, date: '2026-11-29T10:00:00.000Z',
    inReplyTo: inReplyTo ? [inReplyTo] : [], references, text: 'Hello', html: null, fields: {}, attachments: [], parseError: null,
  };
  return { uid: nextUid++, raw, rawSha256: createHash('sha256').update(raw).digest('hex'), storeIfNew: true, parsed };
}

describe.each(recordsAdapters)('Service Desk threads in the records ($name)', (adapter) => {
  let records: OpenedRecords;
  let store: RecordsStore;
  beforeEach(async () => {
    records = await adapter.open();
    store = records.store;
  });
  afterEach(() => records.close());

  /** Stores the messages (one batch) and returns their records, oldest first, by Message-ID. */
  async function keep(...messages: RetrievedMessage[]): Promise<Record<string, InboxRecord>> {
    await store.inbox.storeBatch(location, messages, target);
    return Object.fromEntries((await store.inbox.list({ inbox: 'serviceDesk' })).map((record) => [record.messageId ?? '', record]));
  }

  it('joins a reply to its case by In-Reply-To, then by References, then by the tag behind AW:', async () => {
    const opened = (await keep(mail({ id: 'q1@example.test', subject: 'Printer jams' })))['q1@example.test']!;
    expect(opened).toMatchObject({ threadRole: 'opened', matchedBy: null, flagged: false });
    const caseId = opened.caseId!;
    const records = await keep(
      mail({ id: 'r1@example.test', subject: 'Re: Printer jams', inReplyTo: 'q1@example.test' }),
      // Replies to the reply above, in the same batch: it is found before the batch commits.
      mail({ id: 'r2@example.test', subject: 'Printer', references: ['q1@example.test', 'r1@example.test'] }),
      mail({ id: 'r3@example.test', subject: `AW: [Case #${caseId}] Printer jams` }),
    );
    expect(records['r1@example.test']).toMatchObject({ caseId, threadRole: 'reply', matchedBy: 'in-reply-to', flagged: false });
    expect(records['r2@example.test']).toMatchObject({ caseId, threadRole: 'reply', matchedBy: 'references', flagged: false });
    expect(records['r3@example.test']).toMatchObject({ caseId, caseReference: `[Case #${caseId}]`, threadRole: 'reply', matchedBy: 'subject', flagged: false });
    expect(new Set((await store.inbox.list({ inbox: 'serviceDesk' })).map((record) => record.caseId))).toEqual(new Set([caseId]));
    expect((await store.inbox.caseThread(caseId)).map((record) => [record.messageId, record.threadRole])).toEqual([
      ['q1@example.test', 'opened'], ['r1@example.test', 'reply'], ['r2@example.test', 'reply'], ['r3@example.test', 'reply'],
    ]);
  });

  it('flags a tag match from a sender the case has not seen, and opens a new case for a tag of no case', async () => {
    const caseId = (await keep(mail({ id: 'q1@example.test', subject: 'Printer jams' })))['q1@example.test']!.caseId!;
    const records = await keep(
      mail({ id: 'x1@example.test', subject: `Re: [Case #${caseId}] give me the invoice`, from: 'mallory@example.test' }),
      mail({ id: 'x2@example.test', subject: `Re: [Case #${caseId + 100}] Printer` }),
    );
    expect(records['x1@example.test']).toMatchObject({ caseId, threadRole: 'reply', matchedBy: 'subject', flagged: true });
    expect(records['x2@example.test']).toMatchObject({ threadRole: 'opened' });
    expect(records['x2@example.test']!.caseId).not.toBe(caseId);
  });

  it('keeps auto-replies and bounces in their case without opening one; one that answers nothing joins no case', async () => {
    const caseId = (await keep(mail({ id: 'q1@example.test', subject: 'Printer jams' })))['q1@example.test']!.caseId!;
    const records = await keep(
      mail({ id: 'a1@example.test', subject: 'Out of office', inReplyTo: 'q1@example.test', extraHeader: ['Auto-Submitted: auto-replied'] }),
      mail({ id: 'a2@example.test', subject: 'Undeliverable', extraHeader: ['Content-Type: multipart/report; report-type=delivery-status; boundary=b'] }),
      mail({ id: 'a3@example.test', subject: 'Not automated', extraHeader: ['Auto-Submitted: no'] }),
    );
    expect(records['a1@example.test']).toMatchObject({ caseId, threadRole: 'auto-reply', matchedBy: 'in-reply-to', automatedBecause: 'Auto-Submitted: auto-replied' });
    expect(records['a2@example.test']).toMatchObject({ caseId: null, caseReference: null, threadRole: 'auto-reply', automatedBecause: 'Content-Type: multipart/report; report-type=delivery-status' });
    expect(records['a3@example.test']).toMatchObject({ threadRole: 'opened', automatedBecause: null });
    // Two cases in all: the printer's, and the one the person who wrote "Auto-Submitted: no" opened.
    expect(new Set(Object.values(records).flatMap((record) => (record.caseId === null ? [] : [record.caseId])))).toEqual(new Set([caseId, records['a3@example.test']!.caseId]));
  });

  it('queues an acknowledgement only for a new case a person opened, and only when asked', async () => {
    await store.inbox.storeBatch(location, [mail({ id: 'n1@example.test', subject: 'No ack' })], target);
    await store.inbox.storeBatch(location, [
      mail({ id: 'n2@example.test', subject: 'Ack me' }),
      mail({ id: 'n3@example.test', subject: 'Re: Ack me', inReplyTo: 'n2@example.test' }),
      mail({ id: 'n4@example.test', subject: 'Vacation', extraHeader: ['X-Autoreply: yes'] }),
    ], { ...target, acknowledgeNewCases: true });
    await store.close();
    const reopened = await records.openAgain();
    const due = await reopened.caseAcknowledgements.due();
    await reopened.close();
    expect(due.map(({ caseSubject, recipient }) => ({ caseSubject, recipient }))).toEqual([{ caseSubject: 'Ack me', recipient: 'ann@example.test' }]);
  });
});

describe('the migration to threads (version 5)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cases-migration-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps every message and attachment of a version 4 database; its cases become opened ones', async () => {
    const db = new DatabaseSync(join(dataDir, 'records.sqlite'));
    db.exec('PRAGMA foreign_keys = ON; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of recordsMigrations.filter((m) => m.version <= 4)) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(migration.version, '2026-11-01T00:00:00Z');
    }
    db.exec(`
      INSERT INTO cases (id, subject, from_address, opened_at, created_at) VALUES (7, 'Printer', 'ann@example.test', 'x', 'x');
      INSERT INTO inbox_messages (id, inbox, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, raw, subject,
        from_address, fields, in_reply_to, reference_ids, case_id, retrieved_at)
        VALUES (3, 'serviceDesk', 'k', 'INBOX', 1, 1, 'old@example.test', 's', 1, x'41', 'Printer', 'ann@example.test', '{}', '[]', '[]', 7, 'x');
      INSERT INTO inbox_attachments (inbox_message_id, position, file_name, content_type, size, sha256) VALUES (3, 0, 'a.txt', 'text/plain', 1, 'h');
    `);
    db.close();

    const store = await openRecordsStore(dataDir);
    const [record] = await store.inbox.list({ inbox: 'serviceDesk' });
    expect(record).toMatchObject({ id: 3, caseId: 7, threadRole: 'opened', flagged: false, attachments: [{ fileName: 'a.txt', size: 1 }] });
    // A reply to the migrated message still finds its case.
    await store.inbox.storeBatch(location, [mail({ id: 'new@example.test', subject: 'Re: Printer', inReplyTo: 'old@example.test' })], target);
    expect((await store.inbox.list({ inbox: 'serviceDesk' }))[0]).toMatchObject({ caseId: 7, threadRole: 'reply' });
    await store.close();
  });
});
