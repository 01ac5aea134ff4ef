import { fail, ok, type Result } from '../../shared/errors';
import { refusalError } from './refused-file';
import { FileProblemError, readRegularFile } from './regular-file';
import { fileSizeLimit } from './size-limits';

/**
 * The CLI's `--html-file`: read like any file of the message (a regular file of at most 10 MB), so that
 * `--html-file /dev/zero` or a FIFO fails at once instead of filling the memory or waiting forever.
 */
export async function readHtmlFile(path: string): Promise<Result<string>> {
  try {
    const read = await readRegularFile(path, fileSizeLimit);
    if (read.kind === 'over-limit') return fail(refusalError(path, 'too-large', 'so nothing was sent'));
    return ok(read.bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof FileProblemError) return fail(refusalError(path, error.problem, 'so nothing was sent'));
    throw error;
  }
}
