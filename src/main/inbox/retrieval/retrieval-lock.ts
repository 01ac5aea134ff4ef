import { join } from 'node:path';
import { tryAcquireFileLock, type HeldLock, type LockAttempt, type LockOptions } from '../../locks/file-lock';
import { fileNameOfSource, type RetrievalSource } from './retrieval-source';

/**
 * One retrieval per inbox at a time, across every process on the data directory (app windows, the CLI,
 * a scheduler): a lock file `<dataDir>/locks/<inbox>.lock` holding who took it (locks/file-lock.ts). The
 * records database alone already keeps two overlapping runs from doubling a record; the lock keeps them
 * from racing over the same messages and tells the second one why it did nothing. A second run does not
 * wait: it says another run is going on.
 */

export type { LockAttempt, LockHolder, LockOptions } from '../../locks/file-lock';
export type RetrievalLock = HeldLock;

export function lockPathOf(dataDir: string, inbox: RetrievalSource): string {
  return join(dataDir, 'locks', `${fileNameOfSource(inbox)}.lock`);
}

export function acquireRetrievalLock(dataDir: string, inbox: RetrievalSource, options: LockOptions = {}): Promise<LockAttempt> {
  return tryAcquireFileLock(lockPathOf(dataDir, inbox), options);
}
