import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { copyRecords, type CopyRecordsOptions, type CopySummary } from '../../src/main/records/copy/copy-records';
import type { InboxRecord, MailboxLocation, RetrievedMessage } from '../../src/main/records/inbox-records';
import { openPostgresRecordsDatabase } from '../../src/main/records/postgres/postgres-database';
import { postgresDbOn } from '../../src/main/records/postgres/postgres-db';
import { openPostgresRecordsStore } from '../../src/main/records/postgres/postgres-records-store';
import { openRecordsDatabase } from '../../src/main/records/records-database';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { webFormMessages } from '../support/inbox-messages';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';

/**
 * `database migrate`'s copy (issue 16): an installation's SQLite records, made by the real store from
 * messages parsed by the app's parser, copied into a real PostgreSQL database and read back through the
 * PostgreSQL store, as the installations sharing it will read them.
 */

const target = { leadActivityType: 'Web Lead' };
/** Small batches, so that a few dozen records take many transactions, as a large mailbox does. */
const limits = { rows: 4, bytes: 64 * 1024 };

async function retrieved(location: MailboxLocation, uid: number, raw: Buffer): Promise<RetrievedMessage> {
  const parsed = await parseInbound(raw, location.inbox === 'lead' ? 'lead' : 'serviceDesk');
  return { uid, raw, rawSha256: createHash('sha256').update(raw).digest('hex'), storeIfNew: true, parsed };
}

function supportMail({ id, from, subject, inReplyTo }: { id: string; from: string; subject: string; inReplyTo?: string }): Buffer {
  const lines = [`Message-ID: <${id}>`, `From: <${from}>`, `Subject: ${subject}`, ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`] : []), '', 'Hello', ''];
  return Buffer.from(lines.join('\r\n'));
}

/** One installation's mailboxes: its own accounts, and its own customer on the Service Desk. */
function mailboxesOf(tag: string) {
  return {
    lead: { inbox: 'lead', accountKey: `imap.${tag}.test/sales@${tag}.test`, mailbox: 'INBOX', uidValidity: 7 } satisfies MailboxLocation,
    serviceDesk: { inbox: 'serviceDesk', accountKey: `imap.${tag}.test/support@${tag}.test`, mailbox: 'INBOX', uidValidity: 3 } satisfies MailboxLocation,
    customer: `customer@${tag}.test`,
  };
}

/**
 * Fills an installation's records as its use would: web forms (some with attachments) as notes of two
 * types, a Service Desk case with a reply and a sent acknowledgement, a second case, a note written by
 * hand with its message, a run, a quarantined message, the mailbox counters and an open question.
 */
async function fillInstallation(store: RecordsStore, tag: string): Promise<void> {
  const { lead, serviceDesk, customer } = mailboxesOf(tag);
  await store.types.add('Partner Lead');
  const forms = await Promise.all(webFormMessages(12, tag).map((message, index) => retrieved(lead, index + 1, message.raw)));
  await store.inbox.storeBatch(lead, forms.slice(0, 10), target, { raiseCounter: true });
  await store.inbox.storeBatch(lead, forms.slice(10), { leadActivityType: 'Partner Lead' }, { raiseCounter: true });

  await store.inbox.storeBatch(
    serviceDesk,
    [
      await retrieved(serviceDesk, 1, supportMail({ id: `q1@${tag}.test`, from: customer, subject: 'Printer jams' })),
      await retrieved(serviceDesk, 2, supportMail({ id: `r1@${tag}.test`, from: customer, subject: 'Re: Printer jams', inReplyTo: `q1@${tag}.test` })),
      await retrieved(serviceDesk, 3, supportMail({ id: `q2@${tag}.test`, from: `other@${tag}.test`, subject: 'Screen flickers' })),
    ],
    { ...target, acknowledgeNewCases: true },
    { raiseCounter: true },
  );
  const [due] = await store.caseAcknowledgements.due();
  if (!due) throw new Error('no acknowledgement queued');
  await store.caseAcknowledgements.claim(due.id, []);
  await store.caseAcknowledgements.sent(due.id, `ack-${tag}@mail-settings.test`);

  await store.addActivityNote({
    typeName: 'Email Sent',
    subject: `Offer (${tag})`,
    from: `sales@${tag}.test`,
    to: [customer],
    occurredAt: new Date('2026-11-24T09:00:00.000Z'),
    bodyHtml: '<p>Our offer</p>',
    rawMessage: Buffer.from(`Subject: Offer (${tag})\r\n\r\nOur offer\r\n`),
  });
  await store.inboxRuns.add({ inbox: 'lead', finishedAt: '2026-11-24T10:00:00.000Z', retrieved: 12, alreadyStored: 0, expunged: 12, leftForLaterExpunge: 0, skippedDeletedByOthers: 0, warnings: [], error: null });
  await store.quarantine.hold(lead, { uid: 99, reason: 'tooLarge', size: 60_000_000, detail: null, retryAfter: () => new Date('2026-11-25T00:00:00.000Z') });
  await store.firstImportQuestions.ask('serviceDesk');
}

/** Everything a user can read of the records, ids aside: what a faithful copy must show the same. */
async function visibleRecords(store: RecordsStore) {
  const byKey = (record: InboxRecord) => `${record.source} ${record.accountKey} ${record.mailbox} ${record.uidValidity} ${record.uid}`;
  const withoutIds = (record: InboxRecord) => ({ ...record, id: 0, activityNoteId: 0, caseId: 0, caseReference: '' });
  const inbox = [...(await store.inbox.list({ inbox: 'lead', limit: 1000 })), ...(await store.inbox.list({ inbox: 'serviceDesk', limit: 1000 }))];
  const notes = (await store.activityNotes({ limit: 1000 })).map((note) => ({ ...note, id: 0, rawMessage: note.rawMessage && Buffer.from(note.rawMessage) }));
  return {
    inbox: new Map(inbox.map((record) => [byKey(record), withoutIds(record)])),
    notes: notes.sort((a, b) => a.subject.localeCompare(b.subject)),
    lastRun: await store.inboxRuns.last('lead'),
    quarantine: await store.quarantine.list('lead'),
    counters: [await store.counters.highestUid(mailboxesOf('x').lead), await store.counters.has('lead'), await store.counters.has('serviceDesk')],
    questionOpen: await store.firstImportQuestions.isOpen('serviceDesk'),
  };
}

const totals = (summary: CopySummary) =>
  Object.values(summary.counts).reduce((sum, count) => ({ copied: sum.copied + count.copied, alreadyThere: sum.alreadyThere + count.alreadyThere }), { copied: 0, alreadyThere: 0 });

describe('copying an installation’s records into a shared PostgreSQL database', () => {
  let database: TestDatabase;
  let pool: Pool;
  const dataDirs: string[] = [];
  const stores: RecordsStore[] = [];

  /** A new installation's data directory, filled; its store closed, as the CLI finds it. */
  async function installation(tag: string): Promise<string> {
    const dataDir = await mkdtemp(join(tmpdir(), `mail-settings-copy-${tag}-`));
    dataDirs.push(dataDir);
    const store = await openRecordsStore(dataDir);
    try {
      await fillInstallation(store, tag);
    } finally {
      await store.close();
    }
    return dataDir;
  }

  async function copy(dataDir: string, options: CopyRecordsOptions = {}): Promise<CopySummary> {
    const sqlite = await openRecordsDatabase(dataDir);
    try {
      return await copyRecords(sqlite, postgresDbOn(pool), { limits, ...options });
    } finally {
      sqlite.close();
    }
  }

  async function open(location: string | { databaseUrl: string }): Promise<RecordsStore> {
    const store = typeof location === 'string' ? await openRecordsStore(location) : await openPostgresRecordsStore(location.databaseUrl);
    stores.push(store);
    return store;
  }

  const rowCounts = async () =>
    (await pool.query<{ table: string; rows: number }>(`
      SELECT 'inbox_messages' AS table, count(*)::int AS rows FROM inbox_messages UNION ALL SELECT 'activity_notes', count(*)::int FROM activity_notes
      UNION ALL SELECT 'cases', count(*)::int FROM cases UNION ALL SELECT 'inbox_attachments', count(*)::int FROM inbox_attachments
      UNION ALL SELECT 'case_acknowledgements', count(*)::int FROM case_acknowledgements UNION ALL SELECT 'inbox_runs', count(*)::int FROM inbox_runs
      UNION ALL SELECT 'inbox_quarantine', count(*)::int FROM inbox_quarantine UNION ALL SELECT 'activity_types', count(*)::int FROM activity_types`)).rows;

  beforeEach(async () => {
    database = await createTestDatabase();
    pool = await openPostgresRecordsDatabase(database.url);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await pool.end();
    await database.drop();
    await Promise.all(dataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('copies notes, cases with their thread, attachments, runs, quarantine, counters and questions, byte for byte; a second run copies nothing', async () => {
    const dataDir = await installation('x');
    // The shared database kept one of these messages already (the same mailbox, retrieved there).
    const shared = await open({ databaseUrl: database.url });
    const { lead } = mailboxesOf('x');
    const [first] = webFormMessages(1, 'x');
    await shared.inbox.storeBatch(lead, [await retrieved(lead, 1, first!.raw)], target);

    const summary = await copy(dataDir);
    expect(summary.counts.inbox_messages).toEqual({ copied: 14, alreadyThere: 1 });
    expect(summary.counts.activity_notes).toEqual({ copied: 12, alreadyThere: 1 });
    expect(summary.counts.cases).toEqual({ copied: 2, alreadyThere: 0 });
    expect(summary.counts.inbox_attachments.copied).toBe(1);
    expect(summary.counts.activity_types).toEqual({ copied: 1, alreadyThere: 3 });

    const source = await open(dataDir);
    const expected = await visibleRecords(source);
    const copied = await visibleRecords(shared);
    // The message kept there before is the shared database's own record: retrieved at another time.
    expect([...copied.inbox.keys()].sort()).toEqual([...expected.inbox.keys()].sort());
    for (const [key, record] of expected.inbox) expect({ key, ...copied.inbox.get(key), retrievedAt: '' }).toEqual({ key, ...record, retrievedAt: '' });
    expect(copied.notes).toEqual(expected.notes);
    expect(copied.notes.filter((note) => note.type === 'Partner Lead')).toHaveLength(2);
    expect({ ...copied, inbox: null, notes: null }).toEqual({ ...expected, inbox: null, notes: null });
    expect(copied.counters[0]).toBe(12);

    // Every message's bytes, fetched back from PostgreSQL: the same bytes, and the sha256 kept beside them.
    const sourceRecords = [...(await source.inbox.list({ inbox: 'lead', limit: 1000 })), ...(await source.inbox.list({ inbox: 'serviceDesk', limit: 1000 }))];
    const sharedRecords = [...(await shared.inbox.list({ inbox: 'lead', limit: 1000 })), ...(await shared.inbox.list({ inbox: 'serviceDesk', limit: 1000 }))];
    expect(sharedRecords).toHaveLength(15);
    for (const record of sourceRecords) {
      const there = sharedRecords.find((other) => other.source === record.source && other.uid === record.uid);
      const bytes = Buffer.from((await shared.inbox.raw(there?.id ?? 0)) ?? []);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(record.rawSha256);
      expect(bytes.equals(Buffer.from((await source.inbox.raw(record.id)) ?? []))).toBe(true);
    }

    // The case kept its number (free in a new database), with its thread; its acknowledgement's Message-ID came along.
    const opened = sourceRecords.find((record) => record.messageId === 'q1@x.test');
    const thread = await shared.inbox.caseThread(opened?.caseId ?? 0);
    expect(thread.map((record) => [record.messageId, record.threadRole, record.matchedBy, record.caseReference])).toEqual([
      ['q1@x.test', 'opened', null, opened?.caseReference],
      ['r1@x.test', 'reply', 'in-reply-to', opened?.caseReference],
    ]);
    const { serviceDesk } = mailboxesOf('x');
    await shared.inbox.storeBatch(serviceDesk, [await retrieved(serviceDesk, 10, supportMail({ id: 'r2@x.test', from: 'customer@x.test', subject: 'Thanks', inReplyTo: 'ack-x@mail-settings.test' }))], target);
    expect((await shared.inbox.caseThread(opened?.caseId ?? 0)).at(-1)).toMatchObject({ messageId: 'r2@x.test', matchedBy: 'in-reply-to' });

    const rowsBefore = await rowCounts();
    const again = await copy(dataDir);
    expect(totals(again)).toEqual({ copied: 0, alreadyThere: totals(summary).copied + totals(summary).alreadyThere - summary.counts.inbox_attachments.copied });
    expect(again.installationId).toBe(summary.installationId);
    expect(await rowCounts()).toEqual(rowsBefore);
  });

  it('keeps two installations’ records side by side, renumbering the second one’s cases, whose old [Case #n] still finds them', async () => {
    const [first, second] = [await installation('a'), await installation('b')];
    const a = await copy(first);
    const b = await copy(second);
    expect(b.installationId).not.toBe(a.installationId);
    expect(b.counts.inbox_messages).toEqual({ copied: 15, alreadyThere: 0 });
    expect(b.counts.cases).toEqual({ copied: 2, alreadyThere: 0 });
    // The three activity types every database starts with, and "Partner Lead" once, by name.
    expect(b.counts.activity_types).toEqual({ copied: 0, alreadyThere: 4 });

    const shared = await open({ databaseUrl: database.url });
    expect(await shared.inbox.list({ inbox: 'lead', limit: 1000 })).toHaveLength(24);
    const cases = (await shared.inbox.list({ inbox: 'serviceDesk', limit: 1000 })).filter((record) => record.threadRole === 'opened');
    expect(cases.map((record) => record.messageId).sort()).toEqual(['q1@a.test', 'q1@b.test', 'q2@a.test', 'q2@b.test']);
    expect(new Set(cases.map((record) => record.caseId)).size).toBe(4);

    // Both installations had a case #1: a's kept it, b's got a new number.
    const sourceOfB = await open(second);
    const bCase = (await sourceOfB.inbox.list({ inbox: 'serviceDesk' })).find((record) => record.messageId === 'q1@b.test');
    const bCaseThere = cases.find((record) => record.messageId === 'q1@b.test');
    expect(cases.find((record) => record.messageId === 'q1@a.test')?.caseId).toBe(bCase?.caseId);
    expect(bCaseThere?.caseId).not.toBe(bCase?.caseId);

    // Replies carrying only the old tag, from each installation's customer, each find their own case.
    const location = mailboxesOf('shared').serviceDesk;
    await shared.inbox.storeBatch(
      location,
      [
        await retrieved(location, 1, supportMail({ id: 'tag-b@b.test', from: 'customer@b.test', subject: `AW: ${bCase?.caseReference} Printer jams` })),
        await retrieved(location, 2, supportMail({ id: 'tag-a@a.test', from: 'customer@a.test', subject: `Re: ${bCase?.caseReference} Printer jams` })),
        await retrieved(location, 3, supportMail({ id: 'ids-b@b.test', from: 'customer@b.test', subject: 'Still jammed', inReplyTo: 'r1@b.test' })),
      ],
      target,
    );
    expect((await shared.inbox.caseThread(bCaseThere?.caseId ?? 0)).map((record) => [record.messageId, record.matchedBy, record.flagged])).toEqual([
      ['q1@b.test', null, false],
      ['r1@b.test', 'in-reply-to', false],
      ['tag-b@b.test', 'subject', false],
      ['ids-b@b.test', 'in-reply-to', false],
    ]);
    expect((await shared.inbox.caseThread(bCase?.caseId ?? 0)).map((record) => record.messageId)).toEqual(['q1@a.test', 'r1@a.test', 'tag-a@a.test']);
  });

  it('completes a copy stopped midway when run again, with nothing doubled', async () => {
    const dataDir = await installation('x');
    const stopped = await copy(dataDir, {
      afterBatch: (committed) => {
        if (committed === 3) throw new Error('stopped after 3 batches');
      },
    }).catch((error: unknown) => error);
    expect(stopped).toEqual(new Error('stopped after 3 batches'));
    const partly = await rowCounts();
    expect(partly.find((row) => row.table === 'inbox_messages')?.rows).toBeGreaterThan(0);
    expect(partly.find((row) => row.table === 'inbox_messages')?.rows).toBeLessThan(15);

    const resumed = await copy(dataDir);
    expect(resumed.counts.inbox_messages.copied + resumed.counts.inbox_messages.alreadyThere).toBe(15);
    expect(resumed.counts.inbox_messages.alreadyThere).toBe(partly.find((row) => row.table === 'inbox_messages')?.rows);

    const source = await open(dataDir);
    const shared = await open({ databaseUrl: database.url });
    const expected = await visibleRecords(source);
    const copied = await visibleRecords(shared);
    expect(copied).toEqual(expected);
    expect(Object.fromEntries((await rowCounts()).map((row) => [row.table, row.rows]))).toEqual({
      inbox_messages: 15,
      activity_notes: 13,
      cases: 2,
      inbox_attachments: 1,
      case_acknowledgements: 2,
      inbox_runs: 1,
      inbox_quarantine: 1,
      activity_types: 4,
    });
  });
});
