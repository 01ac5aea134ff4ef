import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { webFormMessages } from '../support/inbox-messages';
import { servedMessages, withInbox } from '../support/retrieval-fixtures';
import { startGmailProxy } from '../testbed/gmail-proxy';
import type { ImapProxy } from '../testbed/imap-proxy';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * Gmail archives what is expunged from INBOX, so a kept message must be moved to the mailbox whose
 * special use is \Trash (RFC 6154). The test bed's Dovecot plays Gmail through a proxy that announces
 * X-GM-EXT-1 and marks a mailbox called "Bin" as \Trash; a mailbox called "Trash" without the role is
 * there too, and must stay empty: the role decides, not the name.
 */

let dataDir: string;
let records: RecordsStore;
let proxy: ImapProxy | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-gmail-'));
  records = await openRecordsStore(dataDir);
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await records.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function hashesIn(user: TestUser, mailbox: string): Promise<string[]> {
  return withInbox(user, testbed().dovecot, async (client) => {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const hashes: string[] = [];
      if (client.mailbox && client.mailbox.exists > 0) {
        for await (const message of client.fetch('1:*', { source: true })) hashes.push(createHash('sha256').update(message.source ?? Buffer.alloc(0)).digest('hex'));
      }
      return hashes.sort();
    } finally {
      lock.release();
    }
  });
}

async function gmailUserWith(count: number): Promise<TestUser> {
  const user = await addUser(`gmail-${randomUUID()}@example.test`);
  await writeToMaildir(user.email, webFormMessages(count, randomUUID()).map((m) => m.raw));
  await withInbox(user, testbed().dovecot, async (client) => {
    await client.mailboxCreate('Bin');
    await client.mailboxCreate('Trash');
  });
  return user;
}

async function retrieveThrough(running: ImapProxy, user: TestUser) {
  return retrieveInbox(
    {
      inbox: 'lead',
      dataDir,
      connection: { host: '127.0.0.1', port: running.port, secure: false, doSTARTTLS: false, auth: { user: user.email, pass: user.password }, connectionTimeout: 10_000, socketTimeout: 30_000 },
      leadActivityType: 'Web Lead',
      batchMessages: 3,
    },
    { records: records.inbox, createClient: (options) => new ImapFlow(options), parse: parseInbound, now: () => new Date() },
  );
}

describe('retrieval from Gmail', () => {
  it('moves every kept message to the \\Trash mailbox found by its role, and leaves INBOX empty', async () => {
    const user = await gmailUserWith(7);
    const served = await servedMessages(user);
    proxy = await startGmailProxy({ targetPort: testbed().dovecot.ports.imap, trashMailbox: 'Bin' });

    const result = await retrieveThrough(proxy, user);

    expect(result).toMatchObject({ ok: true, value: { retrieved: 7, expunged: 7, leftForLaterExpunge: 0, warnings: [] } });
    expect(await records.inbox.list({ inbox: 'lead', limit: 100 })).toHaveLength(7);
    expect(await servedMessages(user)).toEqual([]);
    expect(await hashesIn(user, 'Bin')).toEqual(served.map((m) => m.sha256).sort());
    expect(await hashesIn(user, 'Trash')).toEqual([]);
    // Moved in one step per batch (RFC 6851), never expunged from INBOX.
    expect(proxy.commands().filter((c) => /UID MOVE .* Bin$/i.test(c))).toHaveLength(3);
    expect(proxy.commands().some((c) => /EXPUNGE/i.test(c))).toBe(false);
  });

  it('copies and then removes exactly the kept messages when the server has no MOVE', async () => {
    const user = await gmailUserWith(4);
    const served = await servedMessages(user);
    proxy = await startGmailProxy({ targetPort: testbed().dovecot.ports.imap, trashMailbox: 'Bin', withoutMove: true });

    const result = await retrieveThrough(proxy, user);

    expect(result).toMatchObject({ ok: true, value: { retrieved: 4, expunged: 4, warnings: [] } });
    expect(await servedMessages(user)).toEqual([]);
    expect(await hashesIn(user, 'Bin')).toEqual(served.map((m) => m.sha256).sort());
    expect(proxy.commands().some((c) => /UID MOVE/i.test(c))).toBe(false);
    expect(proxy.commands().filter((c) => /UID COPY .* Bin$/i.test(c))).toHaveLength(2);
  });

  it('says so when the account hides Trash from IMAP: the expunge then only archives, and the records are complete', async () => {
    const user = await gmailUserWith(3);
    proxy = await startGmailProxy({ targetPort: testbed().dovecot.ports.imap, trashMailbox: 'NoSuchMailbox' });

    const result = await retrieveThrough(proxy, user);

    expect(result).toMatchObject({ ok: true, value: { retrieved: 3, expunged: 3 } });
    expect(result.ok ? result.value.warnings : []).toEqual([
      expect.objectContaining({ code: 'GMAIL_TRASH_NOT_SHOWN', message: expect.stringContaining('Gmail kept 3 retrieved messages in All Mail'), fix: expect.stringContaining('Show in IMAP') }),
    ]);
    expect(await records.inbox.list({ inbox: 'lead', limit: 100 })).toHaveLength(3);
  });
});
