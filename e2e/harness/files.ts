import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { idpControl } from '../../test/testbed/client';

/** Every regular file under `dir` (settings, logs, whatever else a service wrote), with its bytes. */
export async function filesUnder(dir: string): Promise<{ readonly path: string; readonly bytes: Buffer }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (path) => ({ path, bytes: await readFile(path) })));
}

/** Files under `dir` whose bytes contain `text` (as UTF-8, or as UTF-16 as some stores write). */
export async function filesContaining(dir: string, text: string): Promise<string[]> {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  return (await filesUnder(dir)).filter(({ bytes }) => needles.some((needle) => bytes.includes(needle))).map(({ path }) => path);
}

/** Files under `dir` holding any of `needles` (UTF-8 or UTF-16), with the needles found in each. */
export async function filesContainingAny(dir: string, needles: readonly string[]): Promise<{ readonly path: string; readonly found: readonly string[] }[]> {
  const hits: { path: string; found: string[] }[] = [];
  for (const { path, bytes } of await filesUnder(dir)) {
    const found = needles.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le')));
    if (found.length > 0) hits.push({ path, found });
  }
  return hits;
}

/**
 * Every token the test bed's identity provider ever issued (access, refresh, ID tokens, codes) that is in a
 * file under one of `dirs`: tokens belong in the keychain only, never in settings, logs or records.
 */
export async function issuedTokensFoundIn(dirs: readonly string[]): Promise<{ readonly path: string; readonly found: readonly string[] }[]> {
  const issued = (await idpControl.issuedTokens()).map((token) => token.value).filter((value) => value.length >= 16);
  if (issued.length === 0) throw new Error('The identity provider issued no token: the scan would prove nothing.');
  return (await Promise.all(dirs.map((dir) => filesContainingAny(dir, issued)))).flat();
}
