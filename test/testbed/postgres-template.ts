import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './proc';

/**
 * initdb's output, kept between runs: initdb writes about a thousand files and takes one to two seconds
 * on a busy two-core machine, a copy of its result a fraction of that. The copy is keyed by everything
 * that shapes it (the server binary, initdb's options, the owner), so an upgraded PostgreSQL gets a fresh
 * one. Delete node_modules/.cache/mail-settings-testbed at any time; the next run makes it again.
 */

const cacheRoot = fileURLToPath(new URL('../../node_modules/.cache/mail-settings-testbed/', import.meta.url));
const prefix = 'postgres-';

export async function templateKey(postgresPath: string, initdbOptions: readonly string[], ownerUid: number): Promise<string> {
  const binary = await stat(postgresPath);
  const shape = JSON.stringify([postgresPath, binary.size, binary.mtimeMs, initdbOptions, ownerUid]);
  return createHash('sha256').update(shape).digest('hex').slice(0, 16);
}

/** Copies mode and owner too: the server refuses a data dir that is not its own or is open to others. */
function copyDir(from: string, to: string): Promise<unknown> {
  return run('cp', ['-R', '--preserve=mode,ownership', from, to], { timeoutMs: 60_000 });
}

/** Copies the kept data dir to `dataDir` (which must not exist) and resolves its superuser's password; undefined if none is kept. */
export async function copyTemplate(key: string, dataDir: string): Promise<string | undefined> {
  const dir = join(cacheRoot, `${prefix}${key}`);
  const password = await readFile(join(dir, 'password'), 'utf8').catch(() => undefined);
  if (password === undefined) return undefined;
  await copyDir(join(dir, 'data'), dataDir);
  return password.trim();
}

/**
 * Keeps a copy of a data dir initdb just made (before any server ran on it). Built aside and renamed
 * into place, so a run never sees half a copy; when runs race, the first rename wins and the others
 * drop theirs. Best effort: a run goes on without it (a read-only node_modules, a full disk).
 */
export async function saveTemplate(key: string, dataDir: string, password: string): Promise<void> {
  const dir = join(cacheRoot, `${prefix}${key}`);
  const building = `${dir}.building-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(building, { recursive: true, mode: 0o700 });
    await copyDir(dataDir, join(building, 'data'));
    await writeFile(join(building, 'password'), `${password}\n`, { mode: 0o600 });
    await rename(building, dir);
    // Copies for other binaries (PostgreSQL was upgraded) are of no use any more.
    for (const entry of await readdir(cacheRoot)) {
      if (entry.startsWith(prefix) && entry !== `${prefix}${key}` && !entry.includes('.building-')) {
        await rm(join(cacheRoot, entry), { recursive: true, force: true });
      }
    }
  } catch {
    await rm(building, { recursive: true, force: true }).catch(() => undefined);
  }
}
