import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { lockPathOf } from '../../src/main/inbox/retrieval/retrieval-lock';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import type { RetrievalDependencies, RetrievalProgress, RetrievalRequest } from '../../src/main/inbox/retrieval/retrieval-types';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { ErrorCode } from '../../src/shared/errors';
import { webFormMessages } from '../support/inbox-messages';
import { buildRetrievalChild, runRetrievalChild, startRetrievalChild, type BuiltRetrievalChild, type ChildRetrieval } from '../support/retrieval-child';
import { retrievalRequestFor, servedMessages, sha256Of, type ServedMessage } from '../support/retrieval-fixtures';
import { addUser, kickImapUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * Retrieval that is interrupted: SIGKILLed at random points, cut off by the server, run twice at once.
 * Whatever happens, every message the server served ends up in the records exactly once, byte for byte,
 * and the mailbox ends empty.
 */

let dataDir: string;
let records: RecordsStore;
let retrievalChild: BuiltRetrievalChild;

beforeAll(async () => {
  retrievalChild = await buildRetrievalChild();
});
afterAll(() => retrievalChild.dispose());

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-retrieval-crash-'));
  records = await openRecordsStore(dataDir);
});
afterEach(async () => {
  await records.close();
  await rm(dataDir, { recursive: true, force: true });
});

function deps(overrides: Partial<RetrievalDependencies> = {}): RetrievalDependencies {
  return { records: records.inbox, createClient: (options) => new ImapFlow(options), parse: parseInbound, now: () => new Date(), ...overrides };
}

async function userWith(count: number): Promise<TestUser> {
  const user = await addUser(`retrieval-crash-${randomUUID()}@example.test`);
  await writeToMaildir(user.email, webFormMessages(count, randomUUID()).map((m) => m.raw));
  return user;
}

/** 0 lost, 0 doubled, every kept byte equal to what the server served; the mailbox is empty. */
async function expectEverythingKeptOnce(user: TestUser, served: readonly ServedMessage[]): Promise<void> {
  const kept = await records.inbox.list({ inbox: 'lead', limit: 100_000 });
  const keptByMessageId = new Map<string, number>();
  for (const record of kept) keptByMessageId.set(record.messageId ?? '', (keptByMessageId.get(record.messageId ?? '') ?? 0) + 1);
  const doubled = [...keptByMessageId.values()].filter((n) => n > 1).length;
  const lost = served.filter((m) => !keptByMessageId.has(m.messageId ?? '')).length;
  expect({ lost, doubled, kept: kept.length }).toEqual({ lost: 0, doubled: 0, kept: served.length });
  expect(new Set(kept.map((r) => r.rawSha256))).toEqual(new Set(served.map((m) => m.sha256)));
  for (const record of kept) expect(sha256Of((await records.inbox.raw(record.id)) ?? new Uint8Array())).toBe(record.rawSha256);
  expect(await servedMessages(user)).toEqual([]);
}

describe('a retrieval killed at random points', () => {
  it('loses and doubles nothing after SIGKILL at ≥ 20 random points while 1,000 messages are retrieved', { timeout: 120_000 }, async () => {
    const user = await userWith(1_000);
    const served = await servedMessages(user);
    expect(served).toHaveLength(1_000);
    // Kill points spread over the windows that matter: mid-fetch (before a commit), right after a
    // commit (before the server copies are flagged), right after an expunge; at a random occurrence
    // and with a random batch size, so each kill lands at another place of another batch. Every other
    // child is paused at the event when it is killed (exactly that window); the rest run on, so the
    // kill lands wherever they got to (inside a FETCH, a transaction, a STORE or EXPUNGE).
    const windows = ['fetched', 'committed', 'expunged'] as const;
    const runs: ChildRetrieval[] = [];
    // Each child loads its code while the one before it runs (and is killed).
    let next = startRetrievalChild(retrievalChild);
    for (let round = 0; round < 21; round += 1) {
      const window = windows[Math.floor(round / 2) % windows.length] ?? 'fetched';
      const occurrence = randomInt(1, window === 'fetched' ? 25 : 3);
      let seen = 0;
      const child = next;
      next = startRetrievalChild(retrievalChild);
      const run = await child.run({ ...retrievalRequestFor(user, dataDir), batchMessages: randomInt(3, 30) }, {
        mode: round % 2 === 0 ? 'paused' : 'running',
        killWhen: (event) => event.kind === window && (seen += 1) === occurrence,
      });
      if (run.killedAfter === null) throw new Error(`run ${round} was not killed: ${JSON.stringify(run.result)}`);
      runs.push(run);
    }
    // The spare child is not needed (the clean run below is in this process): killed before it starts.
    await next.run(retrievalRequestFor(user, dataDir), { killWhen: () => true });
    expect(runs.length).toBeGreaterThanOrEqual(20);
    // The kills landed during retrieval: mail is left.
    expect((await servedMessages(user)).length).toBeGreaterThan(0);

    const clean = await retrieveInbox(retrievalRequestFor(user, dataDir), deps());
    expect(clean).toMatchObject({ ok: true, value: { leftForLaterExpunge: 0 } });
    await expectEverythingKeptOnce(user, served);
    // Some kills fell between a commit and its expunge: a later run found messages kept but still on the server.
    expect(runs.some((run) => run.events[0]?.kind === 'listed' && run.events[0].alreadyStored > 0)).toBe(true);
  });
});

describe('a retrieval cut off by the server', () => {
  it('fails with CONNECTION_LOST when the server drops the connection mid-run, and the next run completes', async () => {
    const user = await userWith(40);
    const served = await servedMessages(user);
    let commits = 0;
    const cut = await retrieveInbox({ ...retrievalRequestFor(user, dataDir), batchMessages: 8 }, deps({
      onProgress: async (progress) => {
        // After the second commit, before its expunge: the server ends our session, as a restart would.
        if (progress.kind === 'committed' && (commits += 1) === 2) await kickImapUser(testbed().dovecot, user.email);
      },
    }));
    expect(cut).toMatchObject({ ok: false, error: { code: ErrorCode.ConnectionLost } });
    expect(await records.inbox.list({ inbox: 'lead', limit: 1_000 })).toHaveLength(16);

    const next = await retrieveInbox(retrievalRequestFor(user, dataDir), deps());
    expect(next).toMatchObject({ ok: true, value: { retrieved: 24 } });
    // doveadm kick returns once the session is told to go; under load our expunge of the second batch can
    // still get through first. Either way the second batch is kept once: found kept (8), or already gone (0).
    expect([0, 8]).toContain(next.ok ? next.value.alreadyStored : -1);
    await expectEverythingKeptOnce(user, served);
  });
});

describe('one run per inbox at a time', () => {
  it('two runs in two processes at once double nothing: one says RETRIEVAL_IN_PROGRESS, or they take turns', async () => {
    const user = await userWith(120);
    const served = await servedMessages(user);
    const request = { ...retrievalRequestFor(user, dataDir), batchMessages: 10 };
    const runs = await Promise.all([runRetrievalChild(retrievalChild, request), runRetrievalChild(retrievalChild, request)]);
    const [first, second] = runs.map((run) => run.result);
    const refused = [first, second].filter((result) => result?.ok === false);
    for (const result of refused) {
      expect(result).toMatchObject({ error: { code: ErrorCode.RetrievalInProgress, message: expect.stringMatching(/already being emptied by another run/) } });
    }
    if (refused.length === 0) {
      // Both ran: only one after the other, so one found nothing left and neither saw mail vanish.
      const summaries = [first, second].map((result) => (result?.ok ? result.value : null));
      expect(summaries.map((summary) => summary?.retrieved ?? -1).sort((x, y) => x - y)).toEqual([0, 120]);
      expect(summaries.flatMap((summary) => summary?.warnings ?? [])).toEqual([]);
    }
    expect(refused.length).toBeLessThan(2);
    await expectEverythingKeptOnce(user, served);
  });

  it('a second run while one holds the lock does nothing and says RETRIEVAL_IN_PROGRESS', async () => {
    const user = await userWith(10);
    let second: Awaited<ReturnType<typeof retrieveInbox>> | undefined;
    const first = await retrieveInbox(retrievalRequestFor(user, dataDir), deps({
      onProgress: async (progress: RetrievalProgress) => {
        if (progress.kind === 'listed') second = await retrieveInbox(retrievalRequestFor(user, dataDir), deps());
      },
    }));
    expect(second).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalInProgress } });
    expect(first).toMatchObject({ ok: true, value: { retrieved: 10 } });
  });

  it('takes over the lock of a run that died (its pid is gone)', async () => {
    const user = await userWith(5);
    const deadPid = await exitedPid();
    await writeLock({ pid: deadPid, host: hostname(), startedAt: new Date().toISOString(), token: 'dead-run' });
    const result = await retrieveInbox(retrievalRequestFor(user, dataDir), deps());
    expect(result).toMatchObject({ ok: true, value: { retrieved: 5 } });
  });

  it('takes over a lock from another computer only once it is older than the staleness bound', async () => {
    const user = await userWith(3);
    const request: RetrievalRequest = retrievalRequestFor(user, dataDir);
    const path = await writeLock({ pid: 1, host: `elsewhere-${randomUUID()}`, startedAt: new Date().toISOString(), token: 'remote-run' });
    expect(await retrieveInbox(request, deps({ lockStaleAfterMs: 60_000 }))).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalInProgress } });
    // Not refreshed for two minutes (a live holder touches it every quarter of the bound).
    const old = new Date(Date.now() - 120_000);
    await utimes(path, old, old);
    expect(await retrieveInbox(request, deps({ lockStaleAfterMs: 60_000 }))).toMatchObject({ ok: true, value: { retrieved: 3 } });
  });
});

async function writeLock(holder: { pid: number; host: string; startedAt: string; token: string }): Promise<string> {
  const path = lockPathOf(dataDir, 'lead');
  await mkdir(join(dataDir, 'locks'), { recursive: true });
  await writeFile(path, JSON.stringify(holder));
  return path;
}

/** The pid of a process that has exited (and been reaped): no process has it now. */
function exitedPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid ?? 0));
  });
}
