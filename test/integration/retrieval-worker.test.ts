import { randomInt, randomUUID, X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import type { PeerCertificate } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tlsOptionsFor } from '../../src/main/mail/tls-options';
import { locateRetrievalWorker } from '../../src/main/inbox/retrieval/retrieval-worker-location';
import { retrieveInWorker, type WorkerRunOptions } from '../../src/main/inbox/retrieval/run-in-worker';
import type { RetrievalProgress, RetrievalRequest } from '../../src/main/inbox/retrieval/retrieval-types';
import { openRecordsStore } from '../../src/main/records/records-store';
import { ErrorCode } from '../../src/shared/errors';
import { webFormMessages } from '../support/inbox-messages';
import { retrievalRequestFor, servedMessages, sha256Of, type ServedMessage } from '../support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * Retrieval on a worker thread (run-in-worker.ts → retrieval-worker.ts), from the TypeScript sources as
 * vitest runs them, against the test bed's Dovecot into a real records database: the same outcome as a
 * run on the calling thread, while the calling thread stays free; and a worker that crashes, is
 * cancelled or is terminated mid-run gives a failed Result, never a rejection, and loses nothing.
 */

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-retrieval-worker-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function userWith(count: number): Promise<TestUser> {
  const user = await addUser(`retrieval-worker-${randomUUID()}@example.test`);
  await writeToMaildir(user.email, webFormMessages(count, randomUUID()).map((m) => m.raw));
  return user;
}

interface WorkerRun {
  readonly events: RetrievalProgress[];
  readonly exits: Array<{ exitCode: number; terminated: boolean }>;
  readonly result: Awaited<ReturnType<typeof retrieveInWorker>>;
}

async function runInWorker(request: RetrievalRequest, options: WorkerRunOptions = {}): Promise<WorkerRun> {
  const events: RetrievalProgress[] = [];
  const exits: Array<{ exitCode: number; terminated: boolean }> = [];
  const result = await retrieveInWorker(request, {
    ...options,
    onProgress: (progress) => {
      events.push(progress);
      options.onProgress?.(progress);
    },
    onExit: (exit) => exits.push(exit),
  });
  return { events, exits, result };
}

/** 0 lost, 0 doubled, every kept byte equal to what the server served; the mailbox is empty. */
async function expectEverythingKeptOnce(user: TestUser, served: readonly ServedMessage[]): Promise<void> {
  const records = await openRecordsStore(dataDir);
  try {
    const kept = await records.inbox.list({ inbox: 'lead', limit: 100_000 });
    const perMessageId = new Map<string, number>();
    for (const record of kept) perMessageId.set(record.messageId ?? '', (perMessageId.get(record.messageId ?? '') ?? 0) + 1);
    const doubled = [...perMessageId.values()].filter((n) => n > 1).length;
    const lost = served.filter((m) => !perMessageId.has(m.messageId ?? '')).length;
    expect({ lost, doubled, kept: kept.length }).toEqual({ lost: 0, doubled: 0, kept: served.length });
    expect(new Set(kept.map((r) => r.rawSha256))).toEqual(new Set(served.map((m) => m.sha256)));
    for (const record of kept) expect(sha256Of((await records.inbox.raw(record.id)) ?? new Uint8Array())).toBe(record.rawSha256);
  } finally {
    await records.close();
  }
  expect(await servedMessages(user)).toEqual([]);
}

/** Records kept so far, read as another reader of the database would (WAL: committed batches only). */
function keptCount(): number {
  const reader = new DatabaseSync(join(dataDir, 'records.sqlite'), { readOnly: true });
  try {
    return Number((reader.prepare('SELECT count(*) AS n FROM inbox_messages').get() as { n: number }).n);
  } finally {
    reader.close();
  }
}

describe('retrieval on a worker thread', () => {
  it('empties a Dovecot mailbox into records, with progress events in order, and the thread exits on its own', async () => {
    const user = await userWith(45);
    const served = await servedMessages(user);
    const run = await runInWorker({ ...retrievalRequestFor(user, dataDir), batchMessages: 10 });

    expect(run.result).toMatchObject({ ok: true, value: { retrieved: 45, alreadyStored: 0, expunged: 45, leftForLaterExpunge: 0, warnings: [] } });
    await expectEverythingKeptOnce(user, served);
    // listed, then per batch: each message fetched, the batch committed, then exactly those expunged.
    expect(run.events[0]).toMatchObject({ kind: 'listed', total: 45, alreadyStored: 0 });
    let fetched: number[] = [];
    let retrievedSoFar = 0;
    const expungedUids: number[] = [];
    for (const [index, event] of run.events.slice(1).entries()) {
      if (event.kind === 'fetched') fetched.push(event.uid);
      else if (event.kind === 'committed') {
        expect(event.uids).toEqual(fetched);
        retrievedSoFar += fetched.length;
        expect(event.retrievedSoFar).toBe(retrievedSoFar);
        expect(run.events[index + 2]).toEqual({ kind: 'expunged', uids: fetched });
        fetched = [];
      } else if (event.kind === 'expunged') expungedUids.push(...event.uids);
    }
    expect(fetched).toEqual([]);
    expect(run.events.filter((e) => e.kind === 'committed')).toHaveLength(5);
    expect(expungedUids.toSorted((a, b) => a - b)).toEqual(served.map((m) => m.uid).toSorted((a, b) => a - b));
    // Nothing the run opened (sockets, timers, the database, the caller's port) kept the thread alive.
    expect(run.exits).toEqual([{ exitCode: 0, terminated: false }]);
  });

  it('goes on retrieving while the calling thread is blocked, and the calling thread\'s timers keep firing during a run', { timeout: 90_000 }, async () => {
    const user = await userWith(300);
    const served = await servedMessages(user);
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 1);
    let listed!: () => void;
    const wasListed = new Promise<void>((resolve) => (listed = resolve));
    const running = runInWorker({ ...retrievalRequestFor(user, dataDir), batchMessages: 20 }, {
      onProgress: (event) => {
        if (event.kind === 'listed') listed();
      },
    });
    await wasListed;

    // Block this thread outright (no event loop turn, no message from the worker handled) until 100
    // records are kept: a run that needed this thread could not get there.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const giveUpAt = Date.now() + 60_000;
    let keptWhileBlocked = keptCount();
    while (keptWhileBlocked < 100 && Date.now() < giveUpAt) {
      Atomics.wait(pause, 0, 0, 20);
      keptWhileBlocked = keptCount();
    }
    expect(keptWhileBlocked).toBeGreaterThanOrEqual(100);

    const ticksBefore = ticks;
    const run = await running;
    clearInterval(ticker);
    expect(run.result).toMatchObject({ ok: true, value: { retrieved: 300 } });
    // The rest of the run (200 messages) let this thread's timers run all along.
    expect(ticks - ticksBefore).toBeGreaterThan(20);
    await expectEverythingKeptOnce(user, served);
  });

  it('checks a pinned server certificate with the caller\'s check (a function cannot cross threads)', async () => {
    const user = await userWith(3);
    const served = await servedMessages(user);
    const { ca } = testbed();
    const serverCertificate = new X509Certificate(await readFile(ca.certPath));
    const base = retrievalRequestFor(user, dataDir);
    const pinnedTo = (fingerprint256: string): RetrievalRequest => ({
      ...base,
      connection: { ...base.connection, tls: tlsOptionsFor('127.0.0.1', { pem: ca.caPem, fingerprint256, trustedAt: new Date().toISOString() }) },
    });
    const checked: string[] = [];
    const watched = (request: RetrievalRequest): RetrievalRequest => {
      const check = request.connection.tls?.checkServerIdentity;
      if (!check) throw new Error('tlsOptionsFor gave no checkServerIdentity');
      const tls = { ...request.connection.tls, checkServerIdentity: (host: string, cert: PeerCertificate) => (checked.push(cert.fingerprint256), check(host, cert)) };
      return { ...request, connection: { ...request.connection, tls } };
    };

    const refused = await runInWorker(watched(pinnedTo('00:11:22')));
    expect(refused.result).toMatchObject({ ok: false, error: { code: ErrorCode.CertificateChanged } });
    expect(await servedMessages(user)).toHaveLength(3);

    const accepted = await runInWorker(watched(pinnedTo(serverCertificate.fingerprint256)));
    expect(accepted.result).toMatchObject({ ok: true, value: { retrieved: 3 } });
    // The caller's function saw the server's own certificate, once per connection.
    expect(checked).toEqual([serverCertificate.fingerprint256, serverCertificate.fingerprint256]);
    await expectEverythingKeptOnce(user, served);
  });
});

describe('a worker that fails', () => {
  it('gives a failed Result when the run throws, and when the thread itself dies (out of memory)', async () => {
    const user = await userWith(2);
    // A data directory that is a file: the records database cannot be opened, runRetrieval throws.
    const notADirectory = join(dataDir, 'a-file');
    await writeFile(notADirectory, '');
    const thrown = await runInWorker(retrievalRequestFor(user, notADirectory));
    expect(thrown.result).toMatchObject({ ok: false, error: { code: ErrorCode.Internal, message: expect.stringMatching(/^Retrieval failed: .*(EEXIST|ENOTDIR)/) } });
    expect(thrown.exits).toEqual([{ exitCode: 0, terminated: false }]);

    // A heap too small to load the retrieval's modules: V8 stops the thread (ERR_WORKER_OUT_OF_MEMORY).
    const died = await runInWorker(retrievalRequestFor(user, dataDir), { resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 } });
    expect(died.result).toMatchObject({ ok: false, error: { code: ErrorCode.Internal, message: expect.stringMatching(/stopped unexpectedly: .*ERR_WORKER_OUT_OF_MEMORY/) } });
    expect(died.exits).toEqual([{ exitCode: 1, terminated: false }]);
    expect(await servedMessages(user)).toHaveLength(2);
  });
});

describe('a run stopped on the way', () => {
  it('stops at its next step when cancelled: what it committed stays, the lock is free, and the next run finishes', async () => {
    const user = await userWith(60);
    const served = await servedMessages(user);
    const controller = new AbortController();
    let commits = 0;
    const cancelled = await runInWorker({ ...retrievalRequestFor(user, dataDir), batchMessages: 10 }, {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.kind === 'committed' && (commits += 1) === 2) controller.abort();
      },
    });
    expect(cancelled.result).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalCancelled, message: 'The retrieval was stopped before it finished.' } });
    // It stopped by itself, at a step boundary: not terminated.
    expect(cancelled.exits).toEqual([{ exitCode: 0, terminated: false }]);
    const committed = cancelled.events.filter((e) => e.kind === 'committed').length;
    expect(keptCount()).toBe(committed * 10);
    expect(committed).toBeLessThan(6);

    const next = await runInWorker(retrievalRequestFor(user, dataDir));
    expect(next.result).toMatchObject({ ok: true, value: { retrieved: 60 - committed * 10 } });
    await expectEverythingKeptOnce(user, served);
  });

  it('stops when the caller\'s progress handler throws, and says so', async () => {
    const user = await userWith(30);
    let commits = 0;
    const stopped = await runInWorker({ ...retrievalRequestFor(user, dataDir), batchMessages: 5 }, {
      onProgress: (event) => {
        if (event.kind === 'committed' && (commits += 1) === 2) throw new Error('the window went away');
      },
    });
    expect(stopped.result).toMatchObject({ ok: false, error: { code: ErrorCode.Internal, message: expect.stringContaining('the progress handler failed (the window went away)') } });
    expect(keptCount()).toBeLessThan(30);
    expect(await servedMessages(user)).not.toHaveLength(0);
  });

  it('loses and doubles nothing when the thread is terminated at random points, and a clean run then finishes', { timeout: 120_000 }, async () => {
    const user = await userWith(200);
    const served = await servedMessages(user);
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round += 1) {
      const controller = new AbortController();
      const at = randomInt(1, 25);
      let seen = 0;
      const run = await runInWorker({ ...retrievalRequestFor(user, dataDir), batchMessages: randomInt(5, 20) }, {
        signal: controller.signal,
        cancelGraceMs: 0,
        // Terminated as soon as this thread hears of the at-th message: the worker is wherever it got to
        // by then (fetching, parsing, inside a batch's transaction, expunging).
        onProgress: (event) => {
          if (event.kind === 'fetched' && (seen += 1) === at) controller.abort();
        },
      });
      // Not refused by the lock the terminated thread held before.
      expect(run.result).not.toMatchObject({ error: { code: ErrorCode.RetrievalInProgress } });
      outcomes.push(run.result.ok ? 'finished' : run.exits[0]?.terminated ? 'terminated' : run.result.error.code);
    }
    expect(outcomes.filter((o) => o === 'terminated').length).toBeGreaterThanOrEqual(4);
    expect((await servedMessages(user)).length).toBeGreaterThan(0);

    const clean = await runInWorker(retrievalRequestFor(user, dataDir));
    expect(clean.result).toMatchObject({ ok: true, value: { leftForLaterExpunge: 0 } });
    await expectEverythingKeptOnce(user, served);
  });
});

describe('where the worker is found', () => {
  it('beside a built entry or one folder up from a shared chunk (as electron-vite lays out out/main), the source under vitest, nothing in a broken build', async () => {
    const main = join(dataDir, 'out', 'main');
    await mkdir(join(main, 'chunks'), { recursive: true });
    const entry = pathToFileURL(join(main, 'cli.js')).href;
    const chunk = pathToFileURL(join(main, 'chunks', 'node-runtime-abc123.js')).href;
    expect(await locateRetrievalWorker(entry)).toBeNull();

    await writeFile(join(main, 'retrieval-worker.js'), '');
    const built = pathToFileURL(join(main, 'retrieval-worker.js')).href;
    expect(await locateRetrievalWorker(entry)).toEqual({ url: new URL(built), execArgv: undefined });
    expect(await locateRetrievalWorker(chunk)).toEqual({ url: new URL(built), execArgv: undefined });

    const source = await locateRetrievalWorker();
    expect(source?.url.pathname).toMatch(/\/src\/main\/inbox\/retrieval\/retrieval-worker-from-source\.ts$/);
    expect(source?.execArgv).toContain('--experimental-transform-types');
  });
});
