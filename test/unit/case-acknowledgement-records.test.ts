import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeAcknowledgement } from '../../src/main/inbox/case-acknowledgement-sender';
import type { MailboxLocation, RetrievedMessage } from '../../src/main/records/inbox-records';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';

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

describe('the acknowledgement queue', () => {
  let dataDir: string;
  let store: RecordsStore;
  let clock = new Date('2026-11-29T10:00:00Z');
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-ack-'));
    store = await openRecordsStore(dataDir, () => clock);
  });
  afterEach(async () => {
    store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Opens a case from `from` at `at` and claims its acknowledgement. */
  function openAndClaim(from: string, at: string) {
    clock = new Date(at);
    store.inbox.storeBatch(location, [newCase(from, 'Printer')], { leadActivityType: 'Web Lead', acknowledgeNewCases: true });
    const [due] = store.caseAcknowledgements.due();
    if (!due) throw new Error('nothing queued');
    return store.caseAcknowledgements.claim(due.id, ['support@example.test']);
  }

  it('lets one acknowledgement a sender through per hour, counted from the last one sent', () => {
    expect(openAndClaim('ann@example.test', '2026-11-29T10:00:00Z')).toEqual({ send: true });
    expect(openAndClaim('ann@example.test', '2026-11-29T10:59:00Z')).toEqual({ send: false, reason: 'one was sent to this sender within the hour' });
    expect(openAndClaim('bob@example.test', '2026-11-29T10:59:30Z')).toEqual({ send: true });
    expect(openAndClaim('ann@example.test', '2026-11-29T11:00:01Z')).toEqual({ send: true });
    expect(store.caseAcknowledgements.due()).toEqual([]);
  });

  it('never lets one go to our own address, whatever its letter case', () => {
    expect(openAndClaim('Support@Example.test', '2026-11-29T12:00:00Z')).toEqual({ send: false, reason: 'our own address' });
  });

  it('gives each acknowledgement once: a second claim finds it handled', () => {
    clock = new Date('2026-11-29T13:00:00Z');
    store.inbox.storeBatch(location, [newCase('carl@example.test', 'Screen')], { leadActivityType: 'Web Lead', acknowledgeNewCases: true });
    const [due] = store.caseAcknowledgements.due();
    expect(due).toMatchObject({ recipient: 'carl@example.test', caseSubject: 'Screen', openingMessageId: expect.stringMatching(/@example\.test$/) });
    expect(store.caseAcknowledgements.claim(due!.id, [])).toEqual({ send: true });
    expect(store.caseAcknowledgements.claim(due!.id, [])).toEqual({ send: false, reason: 'already handled' });
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
