import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { safeFileName } from '../inbox/parse/safe-file-name';

/**
 * Where the files uploaded from the browser's file picker are kept while `mail-settings ui` runs: a private
 * folder of this launch (mkdtemp creates it readable by this user only, mode 0700), removed on close.
 */
export interface UploadFolder {
  readonly path: string;
  /**
   * Saves one file's bytes under its name, made safe for every file system (the name comes from the page).
   * The same bytes under the same name land on the same path, so a file chosen twice keeps its handle.
   */
  save(body: Readable, name: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createUploadFolder(): Promise<UploadFolder> {
  const folder = await mkdtemp(join(tmpdir(), 'mail-settings-ui-'));
  return {
    path: folder,
    async save(body, name) {
      const partial = join(folder, `${randomBytes(8).toString('hex')}.partial`);
      const digest = createHash('sha256');
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          digest.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, hashing, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      // A folder per content, named by its SHA-256: names only have to be unique within it.
      const byContent = join(folder, digest.digest('hex').slice(0, 32));
      await mkdir(byContent, { recursive: true, mode: 0o700 });
      const path = join(byContent, safeFileName(name));
      await rename(partial, path);
      return path;
    },
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
