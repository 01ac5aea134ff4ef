import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import type { RetrievalDependencies, RetrievalRequest, RetrievalSummary } from '../../src/main/inbox/retrieval/retrieval-types';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { ErrorCode } from '../../src/shared/errors';
import { webFormMessages } from '../support/inbox-messages';
import { retrievalRequestFor, servedMessages } from '../support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';
import { startImapProxy, type ImapProxy } from '../testbed/imap-proxy';

/**
 * A message that cannot be kept stays on the server, is listed with its reason, and never stops the
 * messages after it; once its cause goes, the next run keeps it and it leaves the list.
 */

let dataDir: string;
let records: RecordsStore;
let proxy: ImapProxy | undefined;
let clock = new Date('2026-11-30T09:00:00Z');

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-quarantine-'));
  records = await openRecordsStore(dataDir);
  clock = new Date('2026-11-30T09:00:00Z');
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await records.close();
  await rm(dataDir, { recursive: true, force: true });
});

function deps(): RetrievalDependencies {
  return { records: records.inbox, quarantine: records.quarantine, createClient: (options) => new ImapFlow(options), parse: parseInbound, now: () => clock };
}

async function retrieve(request: RetrievalRequest): Promise<RetrievalSummary> {
  const result = await retrieveInbox(request, deps());
  if (!result.ok) throw new Error(`retrieval failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

function attachmentMessage(bytes: number): Buffer {
  const body = (randomBytes(bytes).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
  return Buffer.from(`Message-ID: <big-${randomUUID()}@testbed.localhost>\r\nSubject: scanned contract\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`);
}

async function userWith(messages: readonly Buffer[]): Promise<TestUser> {
  const user = await addUser(`quarantine-${randomUUID()}@example.test`);
  await writeToMaildir(user.email, messages);
  return user;
}

describe('quarantine', () => {
  it('leaves an oversized message on the server, lists it, imports the ones after it, and imports it once the limit allows', async () => {
    const small = webFormMessages(4, randomUUID()).map((m) => m.raw);
    const user = await userWith([small[0] ?? Buffer.alloc(0), attachmentMessage(300_000), ...small.slice(1)]);
    const request = { ...retrievalRequestFor(user, dataDir), batchMessages: 2, maxMessageBytes: 200_000 };

    const first = await retrieve(request);
    expect(first).toMatchObject({ retrieved: 4, notImported: 1 });
    expect(first.warnings).toEqual([expect.objectContaining({ code: ErrorCode.MessagesQuarantined })]);
    expect(first.warnings[0]?.message).toMatch(/^Not imported: 1 message, left on the server: 1 larger than the 1 MB limit/);
    const left = await servedMessages(user);
    expect(left).toHaveLength(1);
    expect(await records.quarantine.list('lead')).toEqual([expect.objectContaining({ uid: left[0]?.uid, reason: 'tooLarge', size: left[0]?.size, attempts: 1 })]);

    // Still too large: still listed, nothing else happens.
    expect(await retrieve(request)).toMatchObject({ retrieved: 0, notImported: 1 });
    expect(await records.quarantine.list('lead')).toEqual([expect.objectContaining({ reason: 'tooLarge', attempts: 2 })]);

    const raised = await retrieve({ ...request, maxMessageBytes: 1_000_000 });
    expect(raised).toMatchObject({ retrieved: 1, notImported: 0, warnings: [] });
    expect(await records.quarantine.list('lead')).toEqual([]);
    expect(await servedMessages(user)).toEqual([]);
    expect(await records.inbox.list({ inbox: 'lead', limit: 10 })).toHaveLength(5);
  });

  it('holds a message the server refuses to send, keeps the rest of its batch, and retries it only after its back-off', async () => {
    const user = await userWith(webFormMessages(5, randomUUID()).map((m) => m.raw));
    const refusedUid = (await servedMessages(user))[2]?.uid ?? 0;
    let refusing = true;
    // Dovecot serves every message; the proxy answers for it as a server with a damaged message does.
    proxy = await startImapProxy({
      targetPort: testbed().dovecot.ports.imap,
      fromClient: (line) => {
        const fetch = /^(\S+) UID FETCH (\S+) \(.*BODY\.PEEK\[\]/i.exec(line);
        if (refusing && fetch && uidsOf(fetch[2] ?? '').includes(refusedUid)) return { answer: `${fetch[1]} NO [SERVERBUG] Internal error occurred. Refer to server log for more information.` };
        return line;
      },
    });
    const request: RetrievalRequest = {
      ...retrievalRequestFor(user, dataDir),
      connection: { host: '127.0.0.1', port: proxy.port, secure: false, doSTARTTLS: false, auth: { user: user.email, pass: user.password }, connectionTimeout: 10_000, socketTimeout: 30_000 },
      batchMessages: 5,
    };

    const first = await retrieve(request);
    expect(first).toMatchObject({ retrieved: 4, notImported: 1 });
    expect(first.warnings[0]?.message).toMatch(/1 the mail server would not send \(next try in 15 minutes\)/);
    expect(await records.quarantine.list('lead')).toEqual([expect.objectContaining({ uid: refusedUid, reason: 'fetchFailed', attempts: 1, nextRetryAt: '2026-11-30T09:15:00.000Z' })]);
    expect((await servedMessages(user)).map((m) => m.uid)).toEqual([refusedUid]);

    // Within its back-off the message is not even asked for.
    refusing = false;
    clock = new Date('2026-11-30T09:10:00Z');
    const fetchesBefore = proxy.commands().length;
    expect(await retrieve(request)).toMatchObject({ retrieved: 0, notImported: 1 });
    expect(proxy.commands().slice(fetchesBefore).some((c) => /BODY\.PEEK/.test(c))).toBe(false);

    clock = new Date('2026-11-30T09:16:00Z');
    expect(await retrieve(request)).toMatchObject({ retrieved: 1, notImported: 0, warnings: [] });
    expect(await records.quarantine.list('lead')).toEqual([]);
    expect(await servedMessages(user)).toEqual([]);
  });

  // Without throttle-stop.ts, imapflow would wait out the 5 minutes and retry the FETCH four times.
  it('stops the run on throttling during a fetch, holding no message for it', async () => {
    const user = await userWith(webFormMessages(3, randomUUID()).map((m) => m.raw));
    proxy = await startImapProxy({
      targetPort: testbed().dovecot.ports.imap,
      fromClient: (line) => {
        const fetch = /^(\S+) UID FETCH \S+ \(.*BODY\.PEEK\[\]/i.exec(line);
        return fetch ? { answer: `${fetch[1]} NO Request is throttled. Suggested Backoff Time: 300000 milliseconds` } : line;
      },
    });
    const result = await retrieveInbox(
      {
        ...retrievalRequestFor(user, dataDir),
        connection: { host: '127.0.0.1', port: proxy.port, secure: false, doSTARTTLS: false, auth: { user: user.email, pass: user.password }, connectionTimeout: 10_000, socketTimeout: 30_000 },
      },
      deps(),
    );
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.Throttled, retryAfterMs: 300_000 } });
    expect(await records.quarantine.list('lead')).toEqual([]);
    expect(await servedMessages(user)).toHaveLength(3);
  });
});

/** The UIDs of a sequence set such as `1:3,5` (RFC 3501 9, sequence-set). */
function uidsOf(set: string): number[] {
  return set.split(',').flatMap((part) => {
    const [from, to] = part.split(':').map(Number);
    if (from === undefined) return [];
    const end = to ?? from;
    return Array.from({ length: end - from + 1 }, (_, i) => from + i);
  });
}
