import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import type { MailboxLocation, RetrievedMessage } from '../../src/main/records/inbox-records';
import { openPostgresRecordsStore } from '../../src/main/records/postgres/postgres-records-store';
import type { RecordsStore } from '../../src/main/records/records-store';
import { webFormMessages } from '../support/inbox-messages';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';

const lead: MailboxLocation = { inbox: 'lead', accountKey: 'imap.example.test/sales@example.test', mailbox: 'INBOX', uidValidity: 7 };
const serviceDesk: MailboxLocation = { inbox: 'serviceDesk', accountKey: 'imap.example.test/support@example.test', mailbox: 'INBOX', uidValidity: 3 };
const target = { leadActivityType: 'Web Lead' };

/** The message as retrieval hands it over: the server's bytes, parsed by the app's own parser. */
async function retrieved(location: MailboxLocation, uid: number, raw: Buffer): Promise<RetrievedMessage> {
  const parsed = await parseInbound(raw, location.inbox === 'lead' ? 'lead' : 'serviceDesk');
  return { uid, raw, rawSha256: createHash('sha256').update(raw).digest('hex'), storeIfNew: true, parsed };
}

function supportMail({ id, subject, inReplyTo }: { id: string; subject: string; inReplyTo?: string }): Buffer {
  const lines = [`Message-ID: <${id}>`, 'From: Ann <ann@example.test>', `Subject: ${subject}`, ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`] : []), '', 'Hello', ''];
  return Buffer.from(lines.join('\r\n'));
}

describe('the inbox records on PostgreSQL', () => {
  let database: TestDatabase;
  let store: RecordsStore;
  beforeEach(async () => {
    database = await createTestDatabase();
    store = await openPostgresRecordsStore(database.url);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('makes a batch of web forms Web Lead notes with their bytes and attachments, and keeps a second identical batch once', async () => {
    const generated = webFormMessages(12, 'pg-lead');
    const batch = await Promise.all(generated.map((message, index) => retrieved(lead, index + 1, message.raw)));

    const first = await store.inbox.storeBatch(lead, batch, target);
    expect(first.map((outcome) => outcome.kind)).toEqual(batch.map(() => 'stored'));
    expect(await store.inbox.storeBatch(lead, batch, target)).toEqual(batch.map(({ uid }) => ({ uid, kind: 'alreadyStored', by: 'uid' })));
    // The same bytes at other UIDs (a UIDVALIDITY change) are recognised by their content.
    const renumbered = { ...lead, uidValidity: 8 };
    expect((await store.inbox.storeBatch(renumbered, batch, target)).map((outcome) => outcome.kind === 'alreadyStored' && outcome.by)).toEqual(batch.map(() => 'content'));

    const records = await store.inbox.list({ inbox: 'lead' });
    expect(records.map((record) => record.uid)).toEqual(batch.map(({ uid }) => uid).reverse());
    expect(records.every((record) => record.type === 'Web Lead' && record.caseId === null)).toBe(true);
    expect(records.find((record) => record.uid === 10)?.attachments).toMatchObject([{ fileName: 'brochure.bin', contentType: 'application/octet-stream' }]);
    expect(records.find((record) => record.uid === 1)).toMatchObject({ messageId: 'pg-lead.0@testbed.localhost', subject: 'Web lead 0 (pg-lead)', fields: { name: 'Person 0' } });
    expect(Buffer.from((await store.inbox.raw(records[0]?.id ?? 0)) ?? [])).toEqual(generated[11]?.raw);
    expect(await store.inboxRecord(records[0]?.id ?? 0)).toEqual(records[0]);
    expect(await store.activityNotes()).toHaveLength(12);
    expect(await store.inbox.storedUids(lead, 5, 100)).toEqual(new Set([5, 6, 7, 8, 9, 10, 11, 12]));
  });

  it('joins a reply to its case, in the same batch and in a later one, and lists the case’s thread oldest first', async () => {
    await store.inbox.storeBatch(serviceDesk, [
      await retrieved(serviceDesk, 1, supportMail({ id: 'q1@example.test', subject: 'Printer jams' })),
      await retrieved(serviceDesk, 2, supportMail({ id: 'r1@example.test', subject: 'Re: Printer jams', inReplyTo: 'q1@example.test' })),
    ], { ...target, acknowledgeNewCases: true });
    const opened = (await store.inbox.list({ inbox: 'serviceDesk' })).find((record) => record.messageId === 'q1@example.test');
    const caseId = opened?.caseId ?? 0;
    await store.inbox.storeBatch(serviceDesk, [
      await retrieved(serviceDesk, 3, supportMail({ id: 'r2@example.test', subject: `AW: [Case #${caseId}] Printer jams` })),
      await retrieved(serviceDesk, 4, supportMail({ id: 'q2@example.test', subject: 'Screen flickers' })),
    ], target);

    expect((await store.inbox.caseThread(caseId)).map((record) => [record.messageId, record.threadRole, record.matchedBy, record.caseReference])).toEqual([
      ['q1@example.test', 'opened', null, `[Case #${caseId}]`],
      ['r1@example.test', 'reply', 'in-reply-to', `[Case #${caseId}]`],
      ['r2@example.test', 'reply', 'subject', `[Case #${caseId}]`],
    ]);
    expect(new Set((await store.inbox.list({ inbox: 'serviceDesk' })).map((record) => record.caseId)).size).toBe(2);
    expect((await store.caseAcknowledgements.due()).map((due) => due.recipient)).toEqual(['ann@example.test']);
  });

  it('moves the mailbox counter only with raiseCounter, never down', async () => {
    const [one, two, three] = await Promise.all(webFormMessages(3, 'pg-counter').map((message, index) => retrieved(lead, index + 1, message.raw)));
    await store.inbox.storeBatch(lead, [one!], target);
    expect(await store.counters.highestUid(lead)).toBeNull();
    await store.inbox.storeBatch(lead, [three!], target, { raiseCounter: true });
    expect(await store.counters.highestUid(lead)).toBe(3);
    await store.inbox.storeBatch(lead, [two!], target, { raiseCounter: true });
    expect(await store.counters.highestUid(lead)).toBe(3);
    expect(await store.counters.highestUid({ ...lead, uidValidity: 8 })).toBeNull();
  });

  it('counts a quarantined message’s attempts, and forgets it once it left the server or was kept', async () => {
    const clock = { at: new Date('2026-11-24T10:00:00.000Z') };
    const timed = await openPostgresRecordsStore(database.url, () => clock.at);
    try {
      const hold = (location: MailboxLocation, uid: number) =>
        timed.quarantine.hold(location, { uid, reason: 'fetchFailed', size: 10, detail: 'NO', retryAfter: (attempts) => new Date(clock.at.getTime() + attempts * 60_000) });
      await hold(lead, 5);
      clock.at = new Date('2026-11-24T10:05:00.000Z');
      expect(await hold(lead, 5)).toMatchObject({ attempts: 2, firstSeenAt: '2026-11-24T10:00:00.000Z', lastAttemptAt: '2026-11-24T10:05:00.000Z', nextRetryAt: '2026-11-24T10:07:00.000Z' });
      await hold(lead, 6);
      await hold({ ...lead, mailbox: 'Forms' }, 1);
      expect([...(await timed.quarantine.held(lead)).values()].map((held) => [held.uid, held.attempts])).toEqual(expect.arrayContaining([[5, 2], [6, 1]]));

      await timed.quarantine.keepOnly(lead, new Set([6]));
      expect((await timed.quarantine.list('lead')).map((held) => [held.mailbox, held.uid])).toEqual([['Forms', 1], ['INBOX', 6]]);
      await timed.quarantine.release(lead, [6]);
      expect((await timed.quarantine.list('lead')).map((held) => held.mailbox)).toEqual(['Forms']);
    } finally {
      await timed.close();
    }
  });

  it('sets and resets the mailbox counter', async () => {
    expect(await store.counters.has('lead')).toBe(false);
    await store.counters.set(lead, 41);
    expect(await store.counters.highestUid(lead)).toBe(41);
    await store.counters.raise(lead, 12);
    expect(await store.counters.highestUid(lead)).toBe(41);
    expect(await store.counters.reset('lead')).toBe(true);
    expect(await store.counters.reset('lead')).toBe(false);
    expect(await store.counters.highestUid(lead)).toBeNull();
  });

  it('keeps each message once when two installations store the same batch at the same moment', async () => {
    const other = await openPostgresRecordsStore(database.url);
    try {
      const batch = await Promise.all(webFormMessages(40, 'pg-race').map((message, index) => retrieved(lead, index + 1, message.raw)));
      const [mine, theirs] = await Promise.all([store.inbox.storeBatch(lead, batch, target, { raiseCounter: true }), other.inbox.storeBatch(lead, batch, target, { raiseCounter: true })]);
      const storedUids = [...(mine ?? []), ...(theirs ?? [])].flatMap((outcome) => (outcome.kind === 'stored' ? [outcome.uid] : []));
      expect(storedUids.sort((a, b) => a - b)).toEqual(batch.map(({ uid }) => uid));
      expect(await store.inbox.list({ inbox: 'lead' })).toHaveLength(40);
      expect(await other.activityNotes()).toHaveLength(40);
      expect(await other.counters.highestUid(lead)).toBe(40);
    } finally {
      await other.close();
    }
  });
});
