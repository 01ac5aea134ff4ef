import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/**
 * A lock shared by every process on a data directory (app windows, the CLI, a scheduler): a file holding
 * who took it, created atomically, kept fresh by a heartbeat, and taken over when its holder is gone.
 * Used for one retrieval per inbox and for one token refresh per mailbox.
 */

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  /** Random, so a release never removes a lock someone else took over. */
  readonly token: string;
}

export interface HeldLock {
  readonly path: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export type LockAttempt = { readonly acquired: true; readonly lock: HeldLock } | { readonly acquired: false; readonly holder: LockHolder | null };

export interface LockOptions {
  readonly now?: () => Date;
  /**
   * A lock not refreshed for this long is stale whoever holds it: its holder is on another computer
   * (whose pids mean nothing here) and gone, or its pid was reused after a reboot. The holder touches
   * the file every quarter of this, so a live holder is never taken for stale.
   */
  readonly staleAfterMs?: number;
}

export const defaultStaleAfterMs = 10 * 60_000;
/** Breaking a stale lock takes milliseconds; a break marker older than this was left by a crash. */
const breakMarkerStaleMs = 30_000;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<{ holder: LockHolder | null; modifiedMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let holder: LockHolder | null = null;
    try {
      holder = JSON.parse(text) as LockHolder;
    } catch {
      holder = null;
    }
    return { holder, modifiedMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function isStale(found: { holder: LockHolder | null; modifiedMs: number }, nowMs: number, staleAfterMs: number): boolean {
  if (nowMs - found.modifiedMs > staleAfterMs) return true;
  const { holder } = found;
  return holder !== null && holder.host === hostname() && !processIsAlive(holder.pid);
}

/** Writes `text` to a new file and fsyncs it. */
async function writeDurably(path: string, text: string, flags: string): Promise<void> {
  const file = await open(path, flags, 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
}

/**
 * Creates the lock with its content already in it: written to a private file, then hard-linked to the
 * lock's name. link() fails with EEXIST when the name is taken, exactly as open(O_CREAT | O_EXCL) does,
 * but another process never reads a lock that is created and still empty.
 */
async function createLock(path: string, holder: LockHolder): Promise<boolean> {
  const privatePath = `${path}.${holder.token}`;
  await writeDurably(privatePath, JSON.stringify(holder), 'wx');
  try {
    await link(privatePath, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(privatePath).catch(() => undefined);
  }
}

/**
 * Removes a stale lock, unless someone replaced it meanwhile. Breakers take turns through a marker file
 * made with O_EXCL: without it, two processes that both found the same stale lock could each remove it,
 * the second removing the fresh lock the first had just taken.
 */
async function breakStaleLock(path: string, stale: LockHolder | null, nowMs: number): Promise<void> {
  const marker = `${path}.break`;
  try {
    await writeDurably(marker, String(process.pid), 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const info = await stat(marker).catch(() => null);
    if (info && nowMs - info.mtimeMs > breakMarkerStaleMs) await unlink(marker).catch(() => undefined);
    return;
  }
  try {
    const current = await readHolder(path);
    if (current && (current.holder?.token ?? null) === (stale?.token ?? null)) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(marker).catch(() => undefined);
  }
}

/** One attempt: the lock at `path`, or who holds it. A stale lock is broken and taken. */
export async function tryAcquireFileLock(path: string, options: LockOptions = {}): Promise<LockAttempt> {
  const now = options.now ?? (() => new Date());
  const staleAfterMs = options.staleAfterMs ?? defaultStaleAfterMs;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: now().toISOString(), token: randomBytes(12).toString('hex') };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await createLock(path, holder)) return { acquired: true, lock: heldLock(path, holder, staleAfterMs) };
    const found = await readHolder(path);
    if (found === null) continue; // released meanwhile
    if (!isStale(found, Date.now(), staleAfterMs)) return { acquired: false, holder: found.holder };
    await breakStaleLock(path, found.holder, Date.now());
  }
  const found = await readHolder(path);
  return { acquired: false, holder: found?.holder ?? null };
}

function heldLock(path: string, holder: LockHolder, staleAfterMs: number): HeldLock {
  // The file's mtime is the heartbeat other processes judge staleness by.
  const heartbeat = setInterval(() => {
    const at = new Date();
    void utimes(path, at, at).catch(() => undefined);
  }, Math.max(1_000, staleAfterMs / 4));
  heartbeat.unref();
  return {
    path,
    holder,
    release: async () => {
      clearInterval(heartbeat);
      const current = await readHolder(path);
      if (current?.holder?.token === holder.token) await unlink(path).catch(() => undefined);
    },
  };
}
