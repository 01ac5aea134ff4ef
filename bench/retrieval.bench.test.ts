import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { emptyBenchMailbox, writeBenchMailbox } from '../test/support/bench-mailbox';
import { buildBenchChild, runBenchChild, type BuiltBenchChild } from '../test/support/retrieval-bench-build';
import type { BenchFigures } from '../test/support/retrieval-bench-child';
import { retrievalRequestFor } from '../test/support/retrieval-fixtures';
import { addUser, type TestUser } from '../test/testbed/client';

/**
 * `npm run bench:retrieval`: prints figures, asserts nothing. For each mailbox size (BENCH_RETRIEVAL_COUNTS,
 * default 1000,10000; mixed sizes to 5 MB, ≈ 190 KB a message) written straight into two Dovecot
 * Maildirs, in one run against the same server: our retrieval (on its worker thread, into records.sqlite)
 * vs a raw imapflow loop that fetches each message, writes it to a file, fsyncs it and expunges it (the
 * durable ceiling). Each in a fresh process: time, msgs/s, MB/s, peak RSS (process-wide: main + worker),
 * and the main thread's event-loop delay during the run. Goals (issue 11): ≤ 1.1× the raw loop's time;
 * peak RSS ≤ 200 MB and flat from 1k to 10k; event-loop delay p99 ≤ 50 ms.
 */

const counts = (process.env['BENCH_RETRIEVAL_COUNTS'] ?? '1000,10000').split(',').map(Number).filter((n) => n > 0);
/** For profiling: run only `ours` or only `raw`. */
const only = process.env['BENCH_RETRIEVAL_ONLY'];
/** For profiling: our batches' limits (default: the app's, see retrieve-inbox.ts). */
const batchLimits = {
  ...(process.env['BENCH_RETRIEVAL_BATCH_MESSAGES'] ? { batchMessages: Number(process.env['BENCH_RETRIEVAL_BATCH_MESSAGES']) } : {}),
  ...(process.env['BENCH_RETRIEVAL_BATCH_BYTES'] ? { batchBytes: Number(process.env['BENCH_RETRIEVAL_BATCH_BYTES']) } : {}),
};
const mib = (bytes: number): string => (bytes / 1_048_576).toFixed(0);

let built: BuiltBenchChild;
const users: TestUser[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  built = await buildBenchChild();
}, 120_000);
afterAll(async () => {
  // Gigabytes: whatever a failed run left on the server, in the records or in the raw files.
  for (const user of users) await emptyBenchMailbox(user.email);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  await built?.dispose();
}, 600_000);

async function measure(mode: 'ours' | 'raw', user: TestUser, count: number): Promise<BenchFigures> {
  const dir = await mkdtemp(join(tmpdir(), `mail-settings-bench-${mode}-`));
  dirs.push(dir);
  try {
    return await runBenchChild(built, { mode, request: { ...retrievalRequestFor(user, dir), ...batchLimits }, rawDir: dir, earlyMark: Math.min(1_000, count) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function row(label: string, figures: BenchFigures, reference?: BenchFigures): string {
  const mb = figures.bytes / 1_048_576;
  const ratio = reference ? `${(figures.seconds / reference.seconds).toFixed(2)}×` : '1.00×';
  const delay = figures.eventLoopDelay;
  return [
    label.padEnd(22),
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

describe('retrieval throughput: ours (worker thread, SQLite) vs a raw fsync-per-message imapflow loop', () => {
  for (const count of counts) {
    it(`${count} messages`, { timeout: 4 * 3_600_000 }, async () => {
      const tag = randomUUID().slice(0, 8);
      const [rawUser, ourUser] = await Promise.all([addUser(`bench-raw-${tag}@example.test`), addUser(`bench-ours-${tag}@example.test`)]);
      users.push(rawUser, ourUser);
      const writeStarted = performance.now();
      const bytes = await writeBenchMailbox([rawUser.email, ourUser.email], count, tag);
      console.log(`\n== ${count} messages, ${mib(bytes)} MiB, written into two Maildirs in ${((performance.now() - writeStarted) / 1000).toFixed(1)} s`);
      const raw = only === 'ours' ? undefined : await measure('raw', rawUser, count);
      if (raw) console.log(row('raw imapflow + fsync', raw));
      const ours = only === 'raw' ? undefined : await measure('ours', ourUser, count);
      if (ours) console.log(row('ours (worker, SQLite)', ours, raw));
    });
  }
});
