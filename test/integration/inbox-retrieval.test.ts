import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxId } from '../../src/main/inbox/inbound-message';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import type { RetrievalDependencies, RetrievalRequest, RetrievalSummary } from '../../src/main/inbox/retrieval/retrieval-types';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { ErrorCode, type Result } from '../../src/shared/errors';
import { malformedMessages, webFormMessages } from '../support/inbox-messages';
import { connectionFor, retrievalRequestFor, servedMessages, sha256Of, withInbox } from '../support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir, type DovecotInfo, type TestUser } from '../testbed/client';

/**
 * Retrieval against the test bed's Dovecots (one with UIDPLUS, one without) into a real records
 * database: what is kept is exactly what the server served, nothing is lost or doubled, and nothing is
 * removed from the server that the records do not have.
 */

let dataDir: string;
let records: RecordsStore;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-retrieval-'));
  records = await openRecordsStore(dataDir);
});
afterEach(async () => {
  await records.close();
  await rm(dataDir, { recursive: true, force: true });
});

function deps(overrides: Partial<RetrievalDependencies> = {}): RetrievalDependencies {
  return { records: records.inbox, createClient: (options) => new ImapFlow(options), parse: parseInbound, now: () => new Date(), ...overrides };
}

async function retrieve(request: RetrievalRequest, overrides: Partial<RetrievalDependencies> = {}): Promise<RetrievalSummary> {
  const result = await retrieveInbox(request, deps(overrides));
  if (!result.ok) throw new Error(`retrieval failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function userWith(messages: readonly Buffer[]): Promise<TestUser> {
  const user = await addUser(`retrieval-${randomUUID()}@example.test`);
  await writeToMaildir(user.email, messages);
  return user;
}

async function recordsOf(inbox: InboxId = 'lead') {
  return records.inbox.list({ inbox, limit: 10_000 });
}

/** Every served message is kept exactly once, with the same bytes. */
async function expectKeptExactlyOnce(served: Awaited<ReturnType<typeof servedMessages>>, inbox: InboxId = 'lead'): Promise<void> {
  const kept = await recordsOf(inbox);
  expect(kept).toHaveLength(served.length);
  expect(new Set(kept.map((r) => r.rawSha256))).toEqual(new Set(served.map((m) => m.sha256)));
  for (const record of kept) expect(sha256Of((await records.inbox.raw(record.id)) ?? new Uint8Array())).toBe(record.rawSha256);
}

describe('retrieval from a server with UIDPLUS', () => {
  it('turns N messages into N records of the chosen type with the served bytes, empties the mailbox, and a second run retrieves 0', async () => {
    const messages = webFormMessages(23, randomUUID());
    const user = await userWith(messages.map((m) => m.raw));
    // Already read in a mail client: \Seen must not decide what is new.
    await withInbox(user, testbed().dovecot, (client) => client.messageFlagsAdd('1:3', ['\\Seen']));
    const served = await servedMessages(user);
    expect(served).toHaveLength(23);

    const first = await retrieve({ ...retrievalRequestFor(user, dataDir), batchMessages: 5 });
    expect(first).toMatchObject({ retrieved: 23, alreadyStored: 0, expunged: 23, leftForLaterExpunge: 0, warnings: [] });
    await expectKeptExactlyOnce(served);
    const kept = await recordsOf();
    expect(kept.every((r) => r.type === 'Web Lead' && r.activityNoteId !== null && r.caseId === null)).toBe(true);
    expect(kept.filter((r) => r.attachments.length === 1)).toHaveLength(2);
    expect(new Set(kept.map((r) => r.messageId))).toEqual(new Set(messages.map((m) => m.messageId)));
    expect((await records.activityNotes({ limit: 100 })).filter((n) => n.type === 'Web Lead')).toHaveLength(23);
    expect(await servedMessages(user)).toEqual([]);

    const second = await retrieve(retrievalRequestFor(user, dataDir));
    expect(second).toMatchObject({ retrieved: 0, alreadyStored: 0, expunged: 0 });
    expect(await recordsOf()).toHaveLength(23);
  });

  it('retrieves a message larger than a batch may hold on its own, byte for byte', async () => {
    const large = Buffer.from(
      `Message-ID: <large-${randomUUID()}@testbed.localhost>\r\nSubject: brochure\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
        `${(randomBytes(4_500_000).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n')}\r\n`,
    );
    const user = await userWith([...webFormMessages(3, randomUUID()).map((m) => m.raw), large]);
    const served = await servedMessages(user);
    const sizes: number[] = [];
    const summary = await retrieve({ ...retrievalRequestFor(user, dataDir), batchBytes: 1_000_000 }, {
      onProgress: (progress) => void (progress.kind === 'committed' && sizes.push(progress.uids.length)),
    });
    expect(summary.retrieved).toBe(4);
    // The three small ones together, the large one alone.
    expect(sizes).toEqual([3, 1]);
    await expectKeptExactlyOnce(served);
  });

  it('opens a Service Desk case per message, with its reference and the threading headers', async () => {
    const raw = Buffer.from(
      'Message-ID: <reply-1@testbed.localhost>\r\nIn-Reply-To: <original@testbed.localhost>\r\nReferences: <root@testbed.localhost> <original@testbed.localhost>\r\n' +
        'From: Client <client@example.test>\r\nSubject: Re: printer broken\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\nStill broken.\r\n',
    );
    const user = await userWith([raw, ...webFormMessages(2, randomUUID()).map((m) => m.raw)]);
    const summary = await retrieve(retrievalRequestFor(user, dataDir, { inbox: 'serviceDesk' }));
    expect(summary.retrieved).toBe(3);
    const cases = await recordsOf('serviceDesk');
    expect(cases.every((r) => r.caseId !== null && r.caseReference === `[Case #${r.caseId}]` && r.activityNoteId === null)).toBe(true);
    expect(new Set(cases.map((r) => r.caseId)).size).toBe(3);
    expect(cases.find((r) => r.messageId === 'reply-1@testbed.localhost')).toMatchObject({
      inReplyTo: ['original@testbed.localhost'],
      references: ['root@testbed.localhost', 'original@testbed.localhost'],
      fromAddress: 'client@example.test',
      subject: 'Re: printer broken',
    });
    expect(await recordsOf('lead')).toEqual([]);
  });

  it('finishes an interrupted run: messages kept before the crash are only removed, never kept twice', async () => {
    const user = await userWith(webFormMessages(12, randomUUID()).map((m) => m.raw));
    const served = await servedMessages(user);
    // A crash right after the first commit: the batch is on disk, nothing is removed from the server yet.
    const crashed = await retrieveInbox({ ...retrievalRequestFor(user, dataDir), batchMessages: 5 }, deps({
      onProgress: (progress) => {
        if (progress.kind === 'committed') throw new Error('crash after commit');
      },
    }));
    expect(crashed.ok).toBe(false);
    expect(await recordsOf()).toHaveLength(5);
    expect(await servedMessages(user)).toHaveLength(12);

    const next = await retrieve(retrievalRequestFor(user, dataDir));
    expect(next).toMatchObject({ retrieved: 7, alreadyStored: 5, expunged: 12 });
    await expectKeptExactlyOnce(served);
    expect(await servedMessages(user)).toEqual([]);
  });

  it('keeps malformed mail raw with its parse error, and it never stops a run', async () => {
    const tag = randomUUID();
    const user = await userWith([...malformedMessages(tag), ...webFormMessages(3, tag).map((m) => m.raw)]);
    const served = await servedMessages(user);
    const summary = await retrieve(retrievalRequestFor(user, dataDir));
    expect(summary.retrieved).toBe(served.length);
    await expectKeptExactlyOnce(served);
    // Each record carries what the parser said about the bytes the server served.
    expect((await recordsOf()).filter((r) => r.parseError !== null).length).toBeGreaterThan(0);
    for (const record of await recordsOf()) {
      const parsed = await parseInbound(Buffer.from((await records.inbox.raw(record.id)) ?? new Uint8Array()), 'lead');
      expect(record.parseError).toBe(parsed.parseError);
    }
    expect(await servedMessages(user)).toEqual([]);
  });

  it('keeps a message whose parser throws, raw, with the error as its parse error', async () => {
    const user = await userWith(webFormMessages(4, randomUUID()).map((m) => m.raw));
    const served = await servedMessages(user);
    let calls = 0;
    const summary = await retrieve(retrievalRequestFor(user, dataDir), {
      parse: async (raw, inbox) => {
        calls += 1;
        if (calls === 2) throw new Error('parser crashed');
        return parseInbound(raw, inbox);
      },
    });
    expect(summary.retrieved).toBe(4);
    await expectKeptExactlyOnce(served);
    expect((await recordsOf()).filter((r) => r.parseError === 'parser crashed')).toHaveLength(1);
  });

  it('recognises kept messages by content after a UIDVALIDITY change, so nothing is imported twice', async () => {
    const user = await userWith(webFormMessages(9, randomUUID()).map((m) => m.raw));
    const served = await servedMessages(user);
    const listedValidity: number[] = [];
    const onProgress = (progress: { kind: string; uidValidity?: number }): void => {
      if (progress.kind === 'listed' && progress.uidValidity !== undefined) listedValidity.push(progress.uidValidity);
      if (progress.kind === 'committed') throw new Error('crash after commit');
    };
    await retrieveInbox({ ...retrievalRequestFor(user, dataDir), batchMessages: 4 }, deps({ onProgress }));
    expect(await recordsOf()).toHaveLength(4);

    await renumberMailbox(user);
    const summary = await retrieve(retrievalRequestFor(user, dataDir), { onProgress: (p) => void (p.kind === 'listed' && listedValidity.push(p.uidValidity)) });
    expect(listedValidity[1]).not.toBe(listedValidity[0]);
    expect(summary).toMatchObject({ retrieved: 5, alreadyStored: 4, expunged: 9 });
    await expectKeptExactlyOnce(served);
    expect(await servedMessages(user)).toEqual([]);
  });

  it('says another program is reading the mailbox when a listed message vanishes before it is fetched, and loses nothing else', async () => {
    const user = await userWith(webFormMessages(6, randomUUID()).map((m) => m.raw));
    const served = await servedMessages(user);
    const taken = served[2];
    const summary = await retrieve(retrievalRequestFor(user, dataDir), {
      onProgress: async (progress) => {
        if (progress.kind === 'listed') await withInbox(user, testbed().dovecot, (client) => client.messageDelete(String(taken?.uid), { uid: true }));
      },
    });
    expect(summary.retrieved).toBe(5);
    expect(summary.warnings.map((w) => w.code)).toEqual([ErrorCode.MailboxSharedWithAnotherProgram]);
    expect(summary.warnings[0]?.message).toMatch(/^1 message disappeared/);
    expect(summary.warnings[0]?.fix).toMatch(/Two programs must not empty one mailbox/);
    await expectKeptExactlyOnce(served.filter((m) => m !== taken));
  });

  it('says another program is reading the mailbox when the server reports an expunge this run did not ask for', async () => {
    const user = await userWith(webFormMessages(6, randomUUID()).map((m) => m.raw));
    // Marked \Deleted by another program: listed and fetched, but neither imported nor removed by us …
    await withInbox(user, testbed().dovecot, (client) => client.messageFlagsAdd('6', ['\\Deleted']));
    const served = await servedMessages(user);
    const summary = await retrieve(retrievalRequestFor(user, dataDir), {
      onProgress: async (progress) => {
        // … until that program expunges it in the middle of our run.
        if (progress.kind === 'committed') await withInbox(user, testbed().dovecot, (client) => client.messageDelete('6'));
      },
    });
    expect(summary).toMatchObject({ retrieved: 5, skippedDeletedByOthers: 1 });
    expect(summary.warnings.map((w) => w.code)).toEqual([ErrorCode.MailboxSharedWithAnotherProgram]);
    await expectKeptExactlyOnce(served.filter((m) => !m.flags.includes('\\Deleted')));
  });

  it('never doubles a record when two runs overlap without the lock (the records refuse the second copy)', async () => {
    const user = await userWith(webFormMessages(15, randomUUID()).map((m) => m.raw));
    const served = await servedMessages(user);
    const otherLocks = await mkdtemp(join(tmpdir(), 'mail-settings-retrieval-locks-'));
    const second = await openRecordsStore(dataDir);
    try {
      // Both runs list the mailbox before either fetches: each then fetches and commits the same batches.
      let bothListed: () => void = () => undefined;
      const listedBarrier = new Promise<void>((resolve) => (bothListed = resolve));
      let listedCount = 0;
      const onProgress = async (progress: { kind: string }): Promise<void> => {
        if (progress.kind !== 'listed') return;
        listedCount += 1;
        if (listedCount === 2) bothListed();
        await listedBarrier;
      };
      const [a, b] = await Promise.all([
        retrieveInbox({ ...retrievalRequestFor(user, dataDir), batchMessages: 4 }, deps({ onProgress })),
        retrieveInbox({ ...retrievalRequestFor(user, otherLocks), batchMessages: 4 }, deps({ records: second.inbox, onProgress })),
      ]);
      // Neither run fails on the other's copies: each finds them kept and goes on.
      if (!a.ok || !b.ok) throw new Error(`a run failed: ${JSON.stringify([a, b])}`);
      expect(a.value.retrieved + b.value.retrieved).toBe(15);
      await expectKeptExactlyOnce(served);
      expect(await servedMessages(user)).toEqual([]);
    } finally {
      await second.close();
      await rm(otherLocks, { recursive: true, force: true });
    }
  });
});

describe('retrieval from a server without UIDPLUS', () => {
  const noUidplus = (): DovecotInfo => testbed().dovecotNoUidplus;

  it('announces no UIDPLUS (else these tests would prove nothing)', async () => {
    const user = await addUser(`retrieval-${randomUUID()}@example.test`);
    const capabilities = await withInbox(user, noUidplus(), async (client) => [...client.capabilities.keys()]);
    expect(capabilities).not.toContain('UIDPLUS');
    expect(capabilities).toContain('IMAP4rev1');
  });

  it('loses nothing: N messages → N records, the mailbox empty', async () => {
    const user = await userWith(webFormMessages(11, randomUUID()).map((m) => m.raw));
    const served = await servedMessages(user, noUidplus());
    const summary = await retrieve({ ...retrievalRequestFor(user, dataDir, { server: noUidplus() }), batchMessages: 4 });
    expect(summary).toMatchObject({ retrieved: 11, expunged: 11, leftForLaterExpunge: 0, warnings: [] });
    await expectKeptExactlyOnce(served);
    expect(await servedMessages(user, noUidplus())).toEqual([]);
  });

  it("never removes another client's \\Deleted message: ours stay marked (unread) until a later run can remove only ours", async () => {
    const user = await userWith(webFormMessages(5, randomUUID()).map((m) => m.raw));
    await withInbox(user, noUidplus(), (client) => client.messageFlagsAdd('2', ['\\Deleted']));
    const served = await servedMessages(user, noUidplus());
    const theirs = served.find((m) => m.flags.includes('\\Deleted'));
    expect(theirs).toBeDefined();

    const first = await retrieve(retrievalRequestFor(user, dataDir, { server: noUidplus() }));
    expect(first).toMatchObject({ retrieved: 4, expunged: 0, leftForLaterExpunge: 4, skippedDeletedByOthers: 1 });
    expect(first.warnings.map((w) => w.code)).toEqual([ErrorCode.ExpungeDeferred]);
    const after = await servedMessages(user, noUidplus());
    expect(after.find((m) => m.uid === theirs?.uid)?.sha256).toBe(theirs?.sha256);
    // Ours: still there, marked \Deleted, and BODY.PEEK[] left them unread.
    const ours = after.filter((m) => m.uid !== theirs?.uid);
    expect(ours).toHaveLength(4);
    expect(ours.every((m) => m.flags.includes('\\Deleted') && !m.flags.includes('\\Seen'))).toBe(true);
    await expectKeptExactlyOnce(served.filter((m) => m !== theirs));

    // The other client changes its mind (undeletes its message): the next run removes only ours.
    await withInbox(user, noUidplus(), (client) => client.messageFlagsRemove(String(theirs?.uid), ['\\Deleted'], { uid: true }));
    const second = await retrieve(retrievalRequestFor(user, dataDir, { server: noUidplus() }));
    expect(second).toMatchObject({ retrieved: 1, alreadyStored: 4, expunged: 5, leftForLaterExpunge: 0 });
    expect(await servedMessages(user, noUidplus())).toEqual([]);
    expect(await recordsOf()).toHaveLength(5);
  });
});

describe('a retrieval that cannot start', () => {
  async function failure(request: RetrievalRequest): Promise<Result<RetrievalSummary>> {
    return retrieveInbox(request, deps());
  }

  it('maps a refused password to IMAP_AUTH_FAILED and touches nothing', async () => {
    const user = await userWith(webFormMessages(1, randomUUID()).map((m) => m.raw));
    const result = await failure(retrievalRequestFor({ ...user, password: 'wrong' }, dataDir));
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.ImapAuthFailed } });
    expect(await servedMessages(user)).toHaveLength(1);
  });

  it('maps a closed port, an unknown host and SSL/TLS against a plain port', async () => {
    const user = await addUser(`retrieval-${randomUUID()}@example.test`);
    const base = retrievalRequestFor(user, dataDir);
    const { freePort } = await import('../testbed/proc');
    const closed = await failure({ ...base, connection: { ...base.connection, port: await freePort() } });
    expect(closed).toMatchObject({ ok: false, error: { code: ErrorCode.ConnectionRefused } });
    const unknown = await failure({ ...base, connection: { ...base.connection, host: 'no-such-host.invalid' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: ErrorCode.UnknownHost } });
    const tlsOnPlain = await failure({ ...base, connection: { ...connectionFor(user), port: testbed().dovecot.ports.imap } });
    expect(tlsOnPlain).toMatchObject({ ok: false, error: { code: ErrorCode.TlsOnPlainPort } });
  });
});

/**
 * Gives INBOX a new UIDVALIDITY with the same messages, as a server does after a rebuild or a move
 * (RFC 3501 2.3.1.1): ends the user's sessions, drops Dovecot's index, and writes a new UIDVALIDITY into
 * dovecot-uidlist.
 */
async function renumberMailbox(user: TestUser): Promise<void> {
  const { readFile, readdir, unlink, writeFile } = await import('node:fs/promises');
  const { kickImapUser } = await import('../testbed/client');
  await kickImapUser(testbed().dovecot, user.email);
  const [local, domain] = user.email.split('@');
  const maildir = join(testbed().mailRoot, domain ?? '', local ?? '', 'Maildir');
  for (const name of await readdir(maildir)) if (name.startsWith('dovecot.index')) await unlink(join(maildir, name));
  const uidlistPath = join(maildir, 'dovecot-uidlist');
  const uidlist = await readFile(uidlistPath, 'utf8');
  await writeFile(uidlistPath, uidlist.replace(/^(\d+) V(\d+)/, (_, version: string, validity: string) => `${version} V${Number(validity) + 1000}`));
}
