import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRetrieval } from '../../src/main/inbox/retrieval/run-retrieval';
import type { RetrievalProgress } from '../../src/main/inbox/retrieval/retrieval-types';
import { openRecordsStore } from '../../src/main/records/records-store';
import { ErrorCode } from '../../src/shared/errors';
import { webFormMessages } from '../support/inbox-messages';
import { retrievalRequestFor, servedMessages } from '../support/retrieval-fixtures';
import { addUser, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * A retrieval asked to stop (RetrievalRun's signal: `mail-settings serve` on SIGTERM, through the worker)
 * stops only at a clean point: a batch is kept and removed from the server whole, or left there whole.
 * The stop is asked for at an exact step here (in-process, the progress hook is awaited), so each case
 * is the same every time.
 */

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-clean-stop-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function userWith(count: number): Promise<TestUser> {
  const user = await addUser(`clean-stop-${randomUUID()}@example.test`);
  await writeToMaildir(user.email, webFormMessages(count, randomUUID()).map((m) => m.raw));
  return user;
}

async function keptShas(): Promise<Set<string>> {
  const records = await openRecordsStore(dataDir);
  try {
    return new Set((await records.inbox.list({ inbox: 'lead', limit: 10_000 })).map((r) => r.rawSha256));
  } finally {
    await records.close();
  }
}

/** What is kept is gone from the server, what is on the server is not kept, and together they are all. */
async function expectNothingHalfDone(user: TestUser, total: number, kept: number): Promise<void> {
  const shas = await keptShas();
  const left = await servedMessages(user);
  expect({ kept: shas.size, left: left.length, both: left.filter((m) => shas.has(m.sha256)).length }).toEqual({ kept, left: total - kept, both: 0 });
}

describe('a retrieval asked to stop', () => {
  it('asked right after a commit, removes that batch from the server first, then stops', async () => {
    const user = await userWith(30);
    const stop = new AbortController();
    const events: RetrievalProgress[] = [];
    let commits = 0;
    const result = await runRetrieval({
      ...retrievalRequestFor(user, dataDir),
      batchMessages: 10,
      signal: stop.signal,
      onProgress: (progress) => {
        events.push(progress);
        if (progress.kind === 'committed' && (commits += 1) === 2) stop.abort();
      },
    });
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalCancelled } });
    const committed = events.filter((e) => e.kind === 'committed').at(-1);
    expect(events.at(-1)).toEqual({ kind: 'expunged', uids: committed?.kind === 'committed' ? committed.uids : [] });
    await expectNothingHalfDone(user, 30, 20);

    const next = await runRetrieval(retrievalRequestFor(user, dataDir));
    expect(next).toMatchObject({ ok: true, value: { retrieved: 10, alreadyStored: 0 } });
  });

  it('asked in the middle of a batch, leaves that whole batch on the server', async () => {
    const user = await userWith(30);
    const stop = new AbortController();
    const events: RetrievalProgress[] = [];
    let fetched = 0;
    const result = await runRetrieval({
      ...retrievalRequestFor(user, dataDir),
      batchMessages: 10,
      signal: stop.signal,
      onProgress: (progress) => {
        events.push(progress);
        if (progress.kind === 'fetched' && (fetched += 1) === 15) stop.abort();
      },
    });
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalCancelled } });
    expect(events.at(-1)).toMatchObject({ kind: 'fetched' });
    await expectNothingHalfDone(user, 30, 10);
  });

  it('asked before it began, touches nothing', async () => {
    const user = await userWith(3);
    const stop = new AbortController();
    stop.abort();
    expect(await runRetrieval({ ...retrievalRequestFor(user, dataDir), signal: stop.signal })).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalCancelled } });
    expect(await servedMessages(user)).toHaveLength(3);
  });
});
