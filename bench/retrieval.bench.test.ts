import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { RecordsLocation } from '../src/main/records/records-store';
import { emptyBenchMailbox, writeBenchMailbox } from '../test/support/bench-mailbox';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres-database';
import { postgresServerCpuSeconds } from '../test/support/postgres-server-cpu';
import { buildBenchChild, runBenchChild, type BuiltBenchChild } from '../test/support/retrieval-bench-build';
import type { BenchFigures } from '../test/support/retrieval-bench-child';
import { retrievalRequestFor } from '../test/support/retrieval-fixtures';
import { addUser, testbed, type TestUser } from '../test/testbed/client';

/**
 * `npm run bench:retrieval`: prints figures, asserts nothing. For each mailbox size (BENCH_RETRIEVAL_COUNTS,
 * default 1000,10000; mixed sizes to 5 MB, ≈ 190 KB a message) written straight into three Dovecot
 * Maildirs (the same bytes), in one run against the same server: a raw imapflow loop that fetches each
 * message, writes it to a file, fsyncs it and expunges it (the durable ceiling), then our retrieval (on
 * its worker thread) into the built-in records.sqlite, then the same into a fresh PostgreSQL database (the
 * shared records store of issue 16, on the test bed's server, fsync on). Each in a fresh process: time,
 * msgs/s, MB/s, peak RSS (process-wide: main + worker; PostgreSQL's own server processes are not in it),
 * and the main thread's event-loop delay during the run; then the records' size on disk (the SQLite file
 * and its WAL; pg_database_size). Goals (issue 11): ≤ 1.1× the raw loop's time; peak RSS ≤ 200 MB and
 * flat from 1k to 10k; event-loop delay p99 ≤ 50 ms.
 */

const counts = (process.env['BENCH_RETRIEVAL_COUNTS'] ?? '1000,10000').split(',').map(Number).filter((n) => n > 0);
type Run = 'raw' | 'sqlite' | 'postgres';
/** For profiling: `raw`, `ours` (both stores), `sqlite` or `postgres` runs only that (default: all three). */
const only = process.env['BENCH_RETRIEVAL_ONLY'];
const runs = (run: Run): boolean => !only || only === run || (only === 'ours' && run !== 'raw');
/** For profiling: our batches' limits (default: the app's, see retrieve-inbox.ts). */
const batchLimits = {
  ...(process.env['BENCH_RETRIEVAL_BATCH_MESSAGES'] ? { batchMessages: Number(process.env['BENCH_RETRIEVAL_BATCH_MESSAGES']) } : {}),
  ...(process.env['BENCH_RETRIEVAL_BATCH_BYTES'] ? { batchBytes: Number(process.env['BENCH_RETRIEVAL_BATCH_BYTES']) } : {}),
};
const mib = (bytes: number): string => (bytes / 1_048_576).toFixed(0);

let built: BuiltBenchChild;
const users: TestUser[] = [];
const dirs: string[] = [];
const databases: TestDatabase[] = [];

beforeAll(async () => {
  built = await buildBenchChild();
}, 120_000);
afterAll(async () => {
  // Gigabytes: whatever a failed run left on the server, in the records or in the raw files.
  for (const user of users) await emptyBenchMailbox(user.email);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  for (const database of databases) await database.drop();
  await built?.dispose();
}, 600_000);

interface Measured {
  readonly figures: BenchFigures;
  /** The records' bytes on disk after the run (ours only). */
  readonly recordsBytes: number | null;
  /** PostgreSQL runs: the server's CPU time during the run, which the child's own CPU time leaves out. */
  readonly serverCpuSeconds: number | null;
}

/** The built-in records database's files in a data directory: records.sqlite and its -wal / -shm. */
async function sqliteBytes(dataDir: string): Promise<number> {
  const names = (await readdir(dataDir)).filter((name) => name.startsWith('records.sqlite'));
  const sizes = await Promise.all(names.map(async (name) => (await stat(join(dataDir, name))).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** pg_database_size: the database's files (tables, TOAST, indexes), not the server's shared WAL. */
async function postgresBytes(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const result = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    return Number(result.rows[0]?.bytes);
  } finally {
    await client.end();
  }
}

async function measure(run: Run, user: TestUser, count: number): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), `mail-settings-bench-${run}-`));
  dirs.push(dir);
  let database: TestDatabase | null = null;
  try {
    if (run === 'postgres') {
      database = await createTestDatabase();
      databases.push(database);
    }
    const records: RecordsLocation | undefined = database ? { databaseUrl: database.url } : undefined;
    const request = { ...retrievalRequestFor(user, dir), ...batchLimits, ...(records ? { records } : {}) };
    const serverCpuBefore = database ? await postgresServerCpuSeconds(testbed().postgres.url) : 0;
    const figures = await runBenchChild(built, { mode: run === 'raw' ? 'raw' : 'ours', request, rawDir: dir, earlyMark: Math.min(1_000, count) });
    const serverCpuSeconds = database ? (await postgresServerCpuSeconds(testbed().postgres.url)) - serverCpuBefore : null;
    const recordsBytes = run === 'raw' ? null : database ? await postgresBytes(database.url) : await sqliteBytes(dir);
    return { figures, recordsBytes, serverCpuSeconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
    // Gigabytes of records: dropped as soon as they are measured.
    if (database) await database.drop();
  }
}

function row(label: string, figures: BenchFigures, reference?: BenchFigures): string {
  const mb = figures.bytes / 1_048_576;
  const ratio = reference ? `${(figures.seconds / reference.seconds).toFixed(2)}×` : '1.00×';
  const delay = figures.eventLoopDelay;
  return [
    label.padEnd(26),
    `${figures.messages} msgs`.padStart(11),
    `${mib(figures.bytes)} MiB`.padStart(10),
    `${figures.seconds.toFixed(1)} s`.padStart(9),
    `(CPU ${figures.cpuSeconds.toFixed(1)} s)`.padStart(13),
    ratio.padStart(6),
    `${(figures.messages / figures.seconds).toFixed(0)} msg/s`.padStart(11),
    `${(mb / figures.seconds).toFixed(1)} MiB/s`.padStart(12),
    `RSS peak ${mib(figures.peakRss)} MiB (anon ${mib(figures.peakRssAnon)} + file ${mib(figures.peakRssFile)}; first 1k: ${mib(figures.peakRssEarly)}, before: ${mib(figures.baselineRss)})`,
    `loop delay p50/p99/max ${delay.p50.toFixed(1)}/${delay.p99.toFixed(1)}/${delay.max.toFixed(1)} ms`,
    figures.error ? `FAILED: ${figures.error}` : '',
  ].join('  ');
}

const labels: Record<Run, string> = { raw: 'raw imapflow + fsync', sqlite: 'ours (worker, SQLite)', postgres: 'ours (worker, PostgreSQL)' };
const recordsLabels: Record<Run, string> = { raw: '', sqlite: 'records.sqlite + WAL', postgres: 'pg_database_size' };

describe('retrieval throughput: ours (worker thread, into SQLite and into PostgreSQL) vs a raw fsync-per-message imapflow loop', () => {
  for (const count of counts) {
    it(`${count} messages`, { timeout: 4 * 3_600_000 }, async () => {
      const tag = randomUUID().slice(0, 8);
      const chosen = (['raw', 'sqlite', 'postgres'] as const).filter(runs);
      const runUsers = await Promise.all(chosen.map(async (run) => [run, await addUser(`bench-${run}-${tag}@example.test`)] as const));
      users.push(...runUsers.map(([, user]) => user));
      const writeStarted = performance.now();
      const bytes = await writeBenchMailbox(runUsers.map(([, user]) => user.email), count, tag);
      console.log(`\n== ${count} messages, ${mib(bytes)} MiB, written into ${runUsers.length} Maildirs in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s`);
      const measured = new Map<Run, Measured>();
      for (const [run, user] of runUsers) {
        const result = await measure(run, user, count);
        measured.set(run, result);
        console.log(row(labels[run], result.figures, run === 'raw' ? undefined : measured.get('raw')?.figures));
      }
      const sizes = [...measured].flatMap(([run, { recordsBytes }]) => (recordsBytes === null ? [] : [`${recordsLabels[run]} ${mib(recordsBytes)} MiB`]));
      if (sizes.length > 0) console.log(`   records on disk after the run: ${sizes.join(', ')}`);
      const serverCpu = measured.get('postgres')?.serverCpuSeconds;
      if (serverCpu != null) console.log(`   PostgreSQL server CPU during its run (not in the row's CPU): ${serverCpu.toFixed(1)} s`);
    });
  }
});
