import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow } from 'imapflow';
import { Client } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { mailboxKeyOf } from '../../src/main/inbox/retrieval/mailbox-lease-keeper';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import type { RetrievalDependencies, RetrievalProgress, RetrievalRequest, RetrievalSummary } from '../../src/main/inbox/retrieval/retrieval-types';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { ErrorCode, type Result } from '../../src/shared/errors';
import { webFormMessages } from '../support/inbox-messages';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { retrievalRequestFor, servedMessages, sha256Of, type ServedMessage } from '../support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';
import { createPostgresCluster, startPostgres, stopPostgres, type RunningPostgres } from '../testbed/postgres';

/**
 * Retrieval into a records database several installations share (PostgreSQL): one retriever per mailbox
 * across them (the lease), and PostgreSQL going away mid-run. Each "installation" is a store of its own
 * and a data directory of its own (its lock files), as two machines have.
 */

interface Installation {
  readonly dataDir: string;
  readonly store: RecordsStore;
}

const installations: Installation[] = [];
afterEach(async () => {
  for (const { dataDir, store } of installations.splice(0)) {
    await store.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
});

async function installationOn(databaseUrl: string): Promise<Installation> {
  const installation = { dataDir: await mkdtemp(join(tmpdir(), 'mail-settings-shared-')), store: await openRecordsStore({ databaseUrl }) };
  installations.push(installation);
  return installation;
}

function depsOf(store: RecordsStore, overrides: Partial<RetrievalDependencies> = {}): RetrievalDependencies {
  return {
    records: store.inbox,
    quarantine: store.quarantine,
    counters: store.counters,
    leases: store.leases,
    createClient: (options) => new ImapFlow(options),
    parse: parseInbound,
    now: () => new Date(),
    ...overrides,
  };
}

function requestOf(user: TestUser, installation: Installation, batchMessages = 10): RetrievalRequest {
  return { ...retrievalRequestFor(user, installation.dataDir), batchMessages };
}

async function userWith(count: number): Promise<TestUser> {
  const user = await addUser(`shared-${randomUUID()}@example.test`);
  await writeToMaildir(user.email, webFormMessages(count, randomUUID()).map((m) => m.raw));
  return user;
}

function keyOf(user: TestUser): string {
  return mailboxKeyOf(testbed().host, user.email, 'INBOX');
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function succeeded(result: Result<RetrievalSummary>): RetrievalSummary {
  if (!result.ok) throw new Error(`retrieval failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Every message the server served is kept exactly once, with the bytes it served; the mailbox is empty. */
async function expectKeptExactlyOnce(store: RecordsStore, served: readonly ServedMessage[], user: TestUser): Promise<void> {
  const kept = await store.inbox.list({ inbox: 'lead', limit: 10_000 });
  expect(kept).toHaveLength(served.length);
  expect(new Set(kept.map((r) => r.rawSha256))).toEqual(new Set(served.map((m) => m.sha256)));
  for (const record of kept) expect(sha256Of((await store.inbox.raw(record.id)) ?? new Uint8Array())).toBe(record.rawSha256);
  expect(await servedMessages(user)).toEqual([]);
}

describe('one retriever per mailbox across installations sharing PostgreSQL', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.drop());

  it('two installations started together on one mailbox: one empties it, the other is told which installation does', async () => {
    const user = await userWith(12);
    const served = await servedMessages(user);
    const [a, b] = await Promise.all([installationOn(database.url), installationOn(database.url)]);

    // The run that wins waits, once it has listed the mailbox, until the other has answered, so that
    // both are certainly running at the same time.
    let refusedOne: () => void = () => undefined;
    const oneRefused = new Promise<void>((resolve) => (refusedOne = resolve));
    let holderSeen: unknown = null;
    const onProgress = async (progress: RetrievalProgress): Promise<void> => {
      if (progress.kind !== 'listed') return;
      await Promise.race([oneRefused, sleep(15_000)]);
      holderSeen = await b.store.leases.holderOf(keyOf(user));
    };
    const run = (installation: Installation) =>
      retrieveInbox(requestOf(user, installation), depsOf(installation.store, { onProgress })).then((result) => {
        if (!result.ok) refusedOne();
        return result;
      });
    const results = await Promise.all([run(a), run(b)]);

    const done = results.filter((result) => result.ok);
    const refused = results.flatMap((result) => (result.ok ? [] : [result.error]));
    expect(done).toHaveLength(1);
    expect(succeeded(done[0]!)).toMatchObject({ retrieved: 12, expunged: 12 });
    expect(refused).toEqual([expect.objectContaining({ code: ErrorCode.RetrievalInProgress })]);
    expect(refused[0]?.message).toMatch(new RegExp(`another installation \\(on ${escapeRegExp(hostname())}, process ${process.pid}, since \\d{4}-\\d\\d-\\d\\dT`));
    // While it ran, every installation could see who empties the mailbox; afterwards nobody does.
    expect(holderSeen).toMatchObject({ holder: { host: hostname(), pid: process.pid } });
    expect(await a.store.leases.holderOf(keyOf(user))).toBeNull();
    await expectKeptExactlyOnce(a.store, served, user);
  });

  it('an installation that died holding the lease: refused until it expires, then the other takes the mailbox over', async () => {
    const user = await userWith(6);
    const served = await servedMessages(user);
    const [dead, alive] = await Promise.all([installationOn(database.url), installationOn(database.url)]);
    // Taken as a run does, and never renewed: its process is gone.
    const taken = await dead.store.leases.take(keyOf(user), { id: 'dead-installation run', host: 'crm-desk-7', pid: 4242 }, 2_000);
    expect(taken.taken).toBe(true);

    const refused = await retrieveInbox(requestOf(user, alive), depsOf(alive.store));
    expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalInProgress, message: expect.stringContaining('on crm-desk-7, process 4242') } });
    expect(await servedMessages(user)).toHaveLength(6);

    await sleep(2_200);
    expect(succeeded(await retrieveInbox(requestOf(user, alive), depsOf(alive.store)))).toMatchObject({ retrieved: 6, expunged: 6 });
    await expectKeptExactlyOnce(alive.store, served, user);
  });

  it('renews its lease while it runs: held up for three lifetimes of the lease, it keeps the mailbox and completes', async () => {
    const user = await userWith(8);
    const served = await servedMessages(user);
    const [a, b] = await Promise.all([installationOn(database.url), installationOn(database.url)]);
    const leaseTtlMs = 600;
    let whileHeld: Result<RetrievalSummary> | undefined;
    const summary = succeeded(await retrieveInbox(requestOf(user, a, 4), depsOf(a.store, {
      leaseTtlMs,
      onProgress: async (progress) => {
        if (progress.kind !== 'committed' || whileHeld) return;
        await sleep(3 * leaseTtlMs);
        whileHeld = await retrieveInbox(requestOf(user, b, 4), depsOf(b.store, { leaseTtlMs }));
      },
    })));
    expect(whileHeld).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalInProgress } });
    expect(summary).toMatchObject({ retrieved: 8, expunged: 8 });
    await expectKeptExactlyOnce(a.store, served, user);
  });

  it('a run whose lease was taken over stops before its next removal, says so, and the next run completes', async () => {
    const user = await userWith(30);
    const served = await servedMessages(user);
    const installation = await installationOn(database.url);
    const admin = new Client({ connectionString: database.url });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      let committed = 0;
      const result = await retrieveInbox(requestOf(user, installation), depsOf(installation.store, {
        onProgress: async (progress) => {
          if (progress.kind !== 'committed' || (committed += 1) !== 2) return;
          // Another installation holds the mailbox now (as after this run missed its renewals).
          await admin.query("UPDATE mailbox_leases SET holder = 'other-installation run', host = 'crm-desk-9', pid = 99, taken_at = now(), expires_at = now() + interval '1 minute'");
        },
      }));
      expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.RetrievalInProgress, message: expect.stringContaining('on crm-desk-9, process 99') } });
      // The first batch was kept and removed; the second kept and NOT removed; the rest untouched.
      const kept = await installation.store.inbox.list({ inbox: 'lead', limit: 100 });
      expect(kept).toHaveLength(20);
      expect(await servedMessages(user)).toHaveLength(20);

      await admin.query('DELETE FROM mailbox_leases');
      expect(succeeded(await retrieveInbox(requestOf(user, installation), depsOf(installation.store)))).toMatchObject({ retrieved: 10, alreadyStored: 10, expunged: 20 });
      await expectKeptExactlyOnce(installation.store, served, user);
    } finally {
      await admin.end();
    }
  });
});

describe('PostgreSQL restarted in the middle of a run', () => {
  let server: RunningPostgres | undefined;
  afterEach(async () => {
    if (server) await stopPostgres(server);
    server = undefined;
  });

  it('stops the run with DATABASE_UNAVAILABLE, removing nothing it had not committed; the next run completes: 0 lost, 0 doubled', { timeout: 120_000 }, async () => {
    const cluster = await createPostgresCluster(join(testbed().dir, `postgres-${randomUUID()}`));
    server = await startPostgres(cluster);
    const database = await createTestDatabase({ serverUrl: server.url });
    const user = await userWith(200);
    const served = await servedMessages(user);
    expect(served).toHaveLength(200);

    const installation = await installationOn(database.url);
    const running = server;
    let stopped = false;
    const result = await retrieveInbox(requestOf(user, installation, 20), depsOf(installation.store, {
      onProgress: async (progress) => {
        // The first batch is committed and removed from the server: PostgreSQL goes away.
        if (progress.kind !== 'expunged' || stopped) return;
        stopped = true;
        await stopPostgres(running);
      },
    }));
    expect(stopped).toBe(true);
    expect(result).toMatchObject({
      ok: false,
      error: { code: ErrorCode.DatabaseUnavailable, fix: expect.stringMatching(/Nothing that was not saved .* was deleted from the mail server: the next run completes/) },
    });
    // Only the first batch left the server; everything else is still there.
    const left = await servedMessages(user);
    expect(left).toHaveLength(180);

    server = await startPostgres(cluster, { port: running.port });
    // The next run, as the next scheduled one would: the same installation, the database opened anew.
    await installation.store.close();
    const next = { dataDir: installation.dataDir, store: await openRecordsStore({ databaseUrl: database.url }) };
    installations.push(next);
    // What was committed before the stop: the first batch, kept once.
    expect(await next.store.inbox.list({ inbox: 'lead', limit: 1_000 })).toHaveLength(20);
    expect(succeeded(await retrieveInbox(requestOf(user, next, 20), depsOf(next.store)))).toMatchObject({ retrieved: 180, expunged: 180 });
    await expectKeptExactlyOnce(next.store, served, user);
  });
});
