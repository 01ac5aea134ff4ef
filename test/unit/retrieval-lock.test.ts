import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRetrievalLock, lockPathOf } from '../../src/main/inbox/retrieval/retrieval-lock';

describe('the retrieval lock', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-lock-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('lets one of many simultaneous attempts in, per inbox, and says who holds it', async () => {
    const attempts = await Promise.all(Array.from({ length: 8 }, () => acquireRetrievalLock(dataDir, 'lead')));
    expect(attempts.filter((a) => a.acquired)).toHaveLength(1);
    for (const attempt of attempts) if (!attempt.acquired) expect(attempt.holder).toMatchObject({ pid: process.pid, host: hostname() });
    const other = await acquireRetrievalLock(dataDir, 'serviceDesk');
    expect(other.acquired).toBe(true);
    for (const attempt of [...attempts, other]) if (attempt.acquired) await attempt.lock.release();
    expect((await acquireRetrievalLock(dataDir, 'lead')).acquired).toBe(true);
  });

  it('writes pid, host and start time, and a release never removes a lock someone else took over', async () => {
    const first = await acquireRetrievalLock(dataDir, 'lead', { now: () => new Date('2026-11-24T10:00:00Z') });
    if (!first.acquired) throw new Error('not acquired');
    expect(JSON.parse(await readFile(lockPathOf(dataDir, 'lead'), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), startedAt: '2026-11-24T10:00:00.000Z' });
    const someoneElse = JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-11-24T11:00:00Z', token: 'other' });
    await writeFile(lockPathOf(dataDir, 'lead'), someoneElse);
    await first.lock.release();
    expect(await readFile(lockPathOf(dataDir, 'lead'), 'utf8')).toBe(someoneElse);
  });

  it('treats an unreadable lock (a crash while it was written) as held until it is older than the bound', async () => {
    await mkdir(join(dataDir, 'locks'), { recursive: true });
    await writeFile(lockPathOf(dataDir, 'lead'), '');
    expect(await acquireRetrievalLock(dataDir, 'lead', { staleAfterMs: 60_000 })).toMatchObject({ acquired: false, holder: null });
    const old = new Date(Date.now() - 120_000);
    await utimes(lockPathOf(dataDir, 'lead'), old, old);
    expect(await acquireRetrievalLock(dataDir, 'lead', { staleAfterMs: 60_000 })).toMatchObject({ acquired: true });
  });
});
