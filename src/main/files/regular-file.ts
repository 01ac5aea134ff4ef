import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

/** Why a local file could not be used; `refused-file.ts` turns each into a message for the user. */
export type FileProblem = 'not-found' | 'unreadable' | 'not-regular-file';

export class FileProblemError extends Error {
  constructor(readonly problem: FileProblem) {
    super(problem);
    this.name = 'FileProblemError';
  }
}

export type RegularFileRead = { readonly kind: 'read'; readonly bytes: Buffer } | { readonly kind: 'over-limit'; readonly size: number };

/**
 * O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer forever (POSIX open(2)); with it the
 * open returns at once and the fstat below refuses the FIFO. O_NOCTTY: a terminal is never made ours.
 * Windows has neither flag (and no FIFOs in the file system); 0 there.
 */
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK || 0) | (constants.O_NOCTTY || 0);

const chunkSize = 64 * 1024;

/**
 * Reads a regular file of at most `limit` bytes. A symbolic link to a regular file is fine; a directory, a
 * FIFO, a device or a socket is refused before a byte is read (stat first, so that a device is not even
 * opened, then fstat on the opened handle, so that a file swapped in between is caught too). A file larger
 * than the limit is not read: `over-limit` with its size. At most limit + 1 bytes are ever read, so a file
 * that grows meanwhile (or lies about its size, as /proc files do) cannot fill the memory.
 */
export async function readRegularFile(path: string, limit: number): Promise<RegularFileRead> {
  const before = await stat(path).catch(rethrowAsProblem);
  if (!before.isFile()) throw new FileProblemError('not-regular-file');
  if (before.size > limit) return { kind: 'over-limit', size: before.size };
  const handle = await open(path, openFlags).catch(rethrowAsProblem);
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw new FileProblemError('not-regular-file');
    if (opened.size > limit) return { kind: 'over-limit', size: opened.size };
    const bytes = await readAtMost(handle, limit + 1).catch(rethrowAsProblem);
    return bytes.length > limit ? { kind: 'over-limit', size: bytes.length } : { kind: 'read', bytes };
  } finally {
    await handle.close();
  }
}

/** The size of a regular file, checked as `readRegularFile` does, without reading it. */
export async function regularFileSize(path: string): Promise<number> {
  const checked = await stat(path).catch(rethrowAsProblem);
  if (!checked.isFile()) throw new FileProblemError('not-regular-file');
  return checked.size;
}

async function readAtMost(handle: FileHandle, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < max) {
    const chunk = Buffer.alloc(Math.min(chunkSize, max - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

function rethrowAsProblem(error: unknown): never {
  if (error instanceof FileProblemError) throw error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG' || code === 'ERR_INVALID_ARG_VALUE') throw new FileProblemError('not-found');
  // Windows answers EISDIR (or EPERM) for a directory opened as a file.
  if (code === 'EISDIR') throw new FileProblemError('not-regular-file');
  throw new FileProblemError('unreadable');
}
