import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailboxLocation, RetrievedMessage } from '../../../src/main/records/inbox-records';
import { recordsAdapters, type OpenedRecords } from '../../support/records-adapters';

const location: MailboxLocation = { inbox: 'lead', accountKey: 'imap.example.test/sales@example.test', mailbox: 'INBOX', uidValidity: 7 };
const target = { leadActivityType: 'Web Lead' };

/** A message with these bytes at `uid`; `messageId` null: it has none. */
function message(uid: number, body: string, messageId: string | null): RetrievedMessage {
  const raw = Buffer.from(`${messageId === null ? '' : `Message-ID: <${messageId}>\r\n`}Subject: lead\r\n\r\n${body}\r\n`);
  return {
    uid,
    raw,
    rawSha256: createHash('sha256').update(raw).digest('hex'),
    storeIfNew: true,
    parsed: {
      messageId, subject: 'lead', fromAddress: 'forms@example.test', fromName: null, date: null, inReplyTo: [], references: [],
      text: body, html: null, fields: {}, parseError: null, attachments: [],
    },
  };
}

describe.each(recordsAdapters)('the exactly-once content key ($name)', (adapter) => {
  let records: OpenedRecords;
  beforeEach(async () => {
    records = await adapter.open();
  });
  afterEach(() => records.close());

  it('keeps a message served twice in one batch once, with or without a Message-ID, and tells copies from different bytes', async () => {
    const { inbox } = records.store;
    const outcomes = await inbox.storeBatch(location, [
      message(1, 'Call me', 'form-1@example.test'),
      message(2, 'Call me', 'form-1@example.test'),
      message(3, 'No id', null),
      message(4, 'No id', null),
      message(5, 'No id, other text', null),
      // The same Message-ID with other bytes (a resent form, edited) is another message.
      message(6, 'Call me tomorrow', 'form-1@example.test'),
    ], target);
    expect(outcomes).toEqual([
      { uid: 1, kind: 'stored', id: expect.any(Number) },
      { uid: 2, kind: 'alreadyStored', by: 'content' },
      { uid: 3, kind: 'stored', id: expect.any(Number) },
      { uid: 4, kind: 'alreadyStored', by: 'content' },
      { uid: 5, kind: 'stored', id: expect.any(Number) },
      { uid: 6, kind: 'stored', id: expect.any(Number) },
    ]);
    // A later batch (another UIDVALIDITY) finds them by content too, the one without a Message-ID included.
    expect(await inbox.storeBatch({ ...location, uidValidity: 8 }, [message(1, 'No id', null), message(2, 'Call me', 'form-1@example.test')], target)).toEqual([
      { uid: 1, kind: 'alreadyStored', by: 'content' },
      { uid: 2, kind: 'alreadyStored', by: 'content' },
    ]);
    expect(await inbox.list({ inbox: 'lead' })).toHaveLength(4);
    expect(await records.store.activityNotes()).toHaveLength(4);
  });

  it('keeps each source’s copy: the key is per source (inbox), as the content check is', async () => {
    const { inbox } = records.store;
    const copy = message(1, 'Call me', 'form-1@example.test');
    expect((await inbox.storeBatch(location, [copy], target))[0]?.kind).toBe('stored');
    expect((await inbox.storeBatch({ ...location, inbox: 'serviceDesk' }, [copy], target))[0]?.kind).toBe('stored');
  });
});
