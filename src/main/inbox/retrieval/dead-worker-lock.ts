import { readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { RetrievalSource } from './retrieval-source';
import { lockPathOf, type LockHolder } from './retrieval-lock';

/**
 * The inbox lock names its holder by process id, and a worker thread shares its caller's: a worker that
 * died holding the lock (terminated, out of memory) would leave it "held by a live process" for the
 * lock's whole staleness bound (minutes), refusing every next run meanwhile. The caller knows the thread
 * is gone, so it releases such a lock: held by this process on this host, and taken after the worker
 * started. Callers guarantee that no other run of this inbox started meanwhile in this process (see
 * run-in-worker.ts), so that lock can only be the dead worker's.
 */
export async function releaseLockOfDeadWorker(dataDir: string, inbox: RetrievalSource, workerStartedAtMs: number): Promise<void> {
  const path = lockPathOf(dataDir, inbox);
  let holder: LockHolder;
  try {
    holder = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch {
    return; // no lock, or not one we can read: nothing of ours
  }
  // startedAt is written in whole milliseconds.
  const takenAfterStart = Date.parse(holder.startedAt) >= Math.floor(workerStartedAtMs);
  if (holder.pid === process.pid && holder.host === hostname() && takenAfterStart) await unlink(path).catch(() => undefined);
}
