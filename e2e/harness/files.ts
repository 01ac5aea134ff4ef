import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

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
