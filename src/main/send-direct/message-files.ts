import { fail, ok, type Result } from '../../shared/errors';
import type { LocalAttachment } from '../files/chosen-attachments';
import { classifyLocalPath, currentPathPlatform } from '../files/local-path';
import { createMessageFileReader } from '../files/message-file-reader';
import { FileRefusedError } from '../files/refused-file';
import { embedLocalImages, type InlineImage } from './inline-images';

export interface MessageFiles {
  /** The HTML with each local image's URL turned into `cid:…`. */
  readonly html: string;
  readonly images: InlineImage[];
  readonly attachments: { filename: string; content: Buffer }[];
}

/** The message's local images (embedded) and attachments, read within the size limits of one message. */
export async function readMessageFiles(html: string, chosen: readonly LocalAttachment[]): Promise<Result<MessageFiles>> {
  const files = createMessageFileReader();
  const platform = currentPathPlatform();
  try {
    const embedded = await embedLocalImages(html, { files, platform });
    const attachments: { filename: string; content: Buffer }[] = [];
    for (const attachment of chosen) {
      const kind = classifyLocalPath(attachment.path, platform);
      if (kind.kind === 'refused') throw new FileRefusedError(attachment.path, kind.reason);
      attachments.push({ filename: attachment.name, content: await files.read(kind.path, attachment.path) });
    }
    return ok({ html: embedded.html, images: embedded.images, attachments });
  } catch (error) {
    if (error instanceof FileRefusedError) return fail(error.appError);
    throw error;
  }
}
