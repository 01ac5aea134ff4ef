/**
 * Measures the two ways issue 11 allows to keep a retrieved message's raw bytes durably before the
 * server copy is expunged, on the disk the data directory lives on:
 *   A. the bytes in the SQLite transaction itself (WAL, synchronous=FULL: one fsync per batch);
 *   B. content-addressed files (sha256 names; each file fsync'd, the folder fsync'd once per batch)
 *      that the batch's SQLite transaction then references.
 * Prints figures; asserts nothing. Run with Node 22:
 *   node --experimental-transform-types --no-warnings bench/measure-raw-storage.ts [dir] [messages] [mixed|small]
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

const parentDir = process.argv[2] ?? tmpdir();
const count = Number(process.argv[3] ?? 1_000);
/** `mixed` (default) or `small` (web-form submissions only: 4–44 KB). */
const mix = process.argv[4] ?? 'mixed';
const batchSize = 50;

/** Sizes like a sales/support mailbox: mostly small text, some with attachments, a few large ones. */
function messageSizes(n: number): number[] {
  const sizes: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const roll = mix === 'small' ? 0 : i % 100;
    sizes.push(roll < 70 ? 4_000 + ((i * 7919) % 40_000) : roll < 95 ? 100_000 + ((i * 104_729) % 400_000) : 2_000_000 + ((i * 15_485_863) % 3_000_000));
  }
  return sizes;
}

function openDb(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
  db.exec('CREATE TABLE m (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, raw BLOB)');
  return db;
}

async function inTransaction(messages: readonly Buffer[], dir: string): Promise<void> {
  const db = openDb(join(dir, 'a.sqlite'));
  const insert = db.prepare('INSERT INTO m (sha256, size, raw) VALUES (?, ?, ?)');
  for (let start = 0; start < messages.length; start += batchSize) {
    db.exec('BEGIN IMMEDIATE');
    for (const raw of messages.slice(start, start + batchSize)) insert.run(createHash('sha256').update(raw).digest('hex'), raw.length, raw);
    db.exec('COMMIT');
  }
  db.close();
}

async function contentAddressed(messages: readonly Buffer[], dir: string): Promise<void> {
  const db = openDb(join(dir, 'b.sqlite'));
  const rawDir = join(dir, 'raw');
  await mkdir(rawDir);
  const insert = db.prepare('INSERT INTO m (sha256, size, raw) VALUES (?, ?, NULL)');
  for (let start = 0; start < messages.length; start += batchSize) {
    const batch = messages.slice(start, start + batchSize);
    const names: string[] = [];
    for (const raw of batch) {
      const sha256 = createHash('sha256').update(raw).digest('hex');
      const temporary = join(rawDir, `${sha256}.tmp`);
      const file = await open(temporary, 'w');
      await file.writeFile(raw);
      await file.sync();
      await file.close();
      await rename(temporary, join(rawDir, sha256));
      names.push(sha256);
    }
    const folder = await open(rawDir, 'r');
    await folder.sync();
    await folder.close();
    db.exec('BEGIN IMMEDIATE');
    batch.forEach((raw, index) => insert.run(names[index] ?? '', raw.length));
    db.exec('COMMIT');
  }
  db.close();
}

const sizes = messageSizes(count);
const messages = sizes.map((size) => randomBytes(size));
const totalMb = sizes.reduce((sum, size) => sum + size, 0) / 1_048_576;
process.stdout.write(`${count} ${mix} messages, ${totalMb.toFixed(1)} MB, batches of ${batchSize}, in ${parentDir}\n`);
for (const [name, store] of [['A. raw in the SQLite transaction', inTransaction], ['B. content-addressed fsync\'d files', contentAddressed]] as const) {
  const runs: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    const dir = await mkdtemp(join(parentDir, 'raw-storage-'));
    const started = process.hrtime.bigint();
    await store(messages, dir);
    runs.push(Number(process.hrtime.bigint() - started) / 1e9);
    await rm(dir, { recursive: true, force: true });
  }
  const best = Math.min(...runs);
  process.stdout.write(`${name}: ${runs.map((s) => s.toFixed(2)).join(' / ')} s; best ${(count / best).toFixed(0)} msg/s, ${(totalMb / best).toFixed(1)} MB/s\n`);
}
