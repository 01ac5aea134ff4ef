import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeAcknowledgement } from '../../../src/main/inbox/case-acknowledgement-sender';
import type { MailboxLocation, RetrievedMessage } from '../../../src/main/records/inbox-records';
import type { RecordsStore } from '../../../src/main/records/records-store';
import { recordsAdapters, type OpenedRecords } from '../../support/records-adapters';

const location: MailboxLocation = { inbox: 'serviceDesk', accountKey: 'imap.example.test/support@example.test', mailbox: 'INBOX', uidValidity: 1 };
let uid = 1;

function newCase(from: string, subject: string): RetrievedMessage {
  const id = `${uid}@example.test`;
  const raw = Buffer.from(`Message-ID: <${id}>\r\nFrom: ${from}\r\nSubject: ${subject}\r\n\r\nHello\r\n`);
  return {
    uid: uid++, raw, rawSha256: createHash('sha256').update(raw).digest('hex'), storeIfNew: true,
    parsed: { messageId: id, subject, fromAddress: from, fromName: null, date: null, inReplyTo: [], references: [], text: 'Hello', html: null, fields: {}, attachments: [], parseError: null },
  };
}

describe.each(recordsAdapters)('the acknowledgement queue ($name)', (adapter) => {
  let records: OpenedRecords;
  let store: RecordsStore;
  let clock = new Date('2026-11-29T10:00:00Z');
  beforeEach(async () => {
    records = await adapter.open({ now: () => clock });
    store = records.store;
  });
  afterEach(() => records.close());

  /** Opens a case from `from` at `at` and claims its acknowledgement. */
  async function openAndClaim(from: string, at: string) {
    clock = new Date(at);
    await store.inbox.storeBatch(location, [newCase(from, 'Printer')], { leadActivityType: 'Web Lead', acknowledgeNewCases: true });
    const [due] = await store.caseAcknowledgements.due();
    if (!due) throw new Error('nothing queued');
    return store.caseAcknowledgements.claim(due.id, ['support@example.test']);
  }

  it('lets one acknowledgement a sender through per hour, counted from the last one sent', async () => {
    expect(await openAndClaim('ann@example.test', '2026-11-29T10:00:00Z')).toEqual({ send: true });
    expect(await openAndClaim('ann@example.test', '2026-11-29T10:59:00Z')).toEqual({ send: false, reason: 'one was sent to this sender within the hour' });
    expect(await openAndClaim('bob@example.test', '2026-11-29T10:59:30Z')).toEqual({ send: true });
    expect(await openAndClaim('ann@example.test', '2026-11-29T11:00:01Z')).toEqual({ send: true });
    expect(await store.caseAcknowledgements.due()).toEqual([]);
  });

  it('never lets one go to our own address, whatever its letter case', async () => {
    expect(await openAndClaim('Support@Example.test', '2026-11-29T12:00:00Z')).toEqual({ send: false, reason: 'our own address' });
  });

  it('gives each acknowledgement once: a second claim finds it handled', async () => {
    clock = new Date('2026-11-29T13:00:00Z');
    await store.inbox.storeBatch(location, [newCase('carl@example.test', 'Screen')], { leadActivityType: 'Web Lead', acknowledgeNewCases: true });
    const [due] = await store.caseAcknowledgements.due();
    expect(due).toMatchObject({ recipient: 'carl@example.test', caseSubject: 'Screen', openingMessageId: expect.stringMatching(/@example\.test$/) });
    expect(await store.caseAcknowledgements.claim(due!.id, [])).toEqual({ send: true });
    expect(await store.caseAcknowledgements.claim(due!.id, [])).toEqual({ send: false, reason: 'already handled' });
  });

  it('gives each acknowledgement once when two installations claim it at the same moment', async () => {
    clock = new Date('2026-11-29T14:00:00Z');
    await store.inbox.storeBatch(location, [newCase('dora@example.test', 'Scanner')], { leadActivityType: 'Web Lead', acknowledgeNewCases: true });
    const [due] = await store.caseAcknowledgements.due();
    const other = await records.openAgain();
    try {
      const claims = await Promise.all([store.caseAcknowledgements.claim(due!.id, []), other.caseAcknowledgements.claim(due!.id, [])]);
      expect(claims).toEqual(expect.arrayContaining([{ send: true }, { send: false, reason: 'already handled' }]));
    } finally {
      await other.close();
    }
  });

  it('keeps to one an hour for a sender when two installations claim two of their cases at the same moment', async () => {
    clock = new Date('2026-11-29T15:00:00Z');
    await store.inbox.storeBatch(location, [newCase('eve@example.test', 'Printer'), newCase('eve@example.test', 'Scanner')], { leadActivityType: 'Web Lead', acknowledgeNewCases: true });
    const [first, second] = await store.caseAcknowledgements.due();
    const other = await records.openAgain();
    try {
      const claims = await Promise.all([store.caseAcknowledgements.claim(first!.id, []), other.caseAcknowledgements.claim(second!.id, [])]);
      expect(claims).toEqual(expect.arrayContaining([{ send: true }, { send: false, reason: 'one was sent to this sender within the hour' }]));
    } finally {
      await other.close();
    }
  });
});

describe('the acknowledgement message', () => {
  it('carries the tag once, answers the opening message and says it is automatic', async () => {
    const raw = (await composeAcknowledgement(
      { id: 1, caseId: 42, recipient: 'ann@example.test', caseSubject: 'AW: Re: Printer', openingMessageId: 'q1@example.test' },
      { name: 'Support', address: 'support@example.test' },
      new Date('2026-11-29T10:00:00Z'),
    )).toString();
    expect(raw).toMatch(/^Subject: \[Case #42\] Printer\r$/m);
    expect(raw).toMatch(/^Auto-Submitted: auto-replied\r$/m);
    expect(raw).toMatch(/^X-Auto-Response-Suppress: All\r$/m);
    expect(raw).toMatch(/^In-Reply-To: <q1@example\.test>\r$/m);
    const tagged = (await composeAcknowledgement(
      { id: 1, caseId: 42, recipient: 'ann@example.test', caseSubject: 'Re: [Case #42] Printer', openingMessageId: null },
      { name: 'Support', address: 'support@example.test' },
      new Date('2026-11-29T10:00:00Z'),
    )).toString();
    expect(tagged).toMatch(/^Subject: \[Case #42\] Printer\r$/m);
    expect(tagged).not.toMatch(/^In-Reply-To:/m);
  });
});
