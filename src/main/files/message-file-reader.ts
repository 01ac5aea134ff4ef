import { FileProblemError, readRegularFile } from './regular-file';
import { FileRefusedError } from './refused-file';
import { fileSizeLimit, messageSizeLimit } from './size-limits';

export interface MessageFileReader {
  /**
   * The bytes of one more file of the message (an embedded image, an attachment): a regular file of at most
   * 10 MB that keeps the message's files within 25 MB. Otherwise a FileRefusedError naming `shownAs`.
   */
  read(path: string, shownAs: string): Promise<Buffer>;
}

/** One per message: it counts what the message's files add up to. */
export function createMessageFileReader(): MessageFileReader {
  let used = 0;
  return {
    async read(path, shownAs) {
      const remaining = messageSizeLimit - used;
      let read;
      try {
        read = await readRegularFile(path, Math.min(fileSizeLimit, remaining));
      } catch (error) {
        if (error instanceof FileProblemError) throw new FileRefusedError(shownAs, error.problem);
        throw error;
      }
      if (read.kind === 'over-limit') throw new FileRefusedError(shownAs, read.size > fileSizeLimit ? 'too-large' : 'message-too-large');
      used += read.bytes.length;
      return read.bytes;
    },
  };
}
