import { readHeaderSection } from './header-section';
import { readMimeBody } from './mime-body';

/**
 * The decoded bytes of one attachment, taken again from the raw message the records keep: the records
 * hold each attachment's name, type, size and SHA-256, not a second copy of its bytes. `position` is the
 * attachment's place among the message's attachments, as parseInbound listed them (and the records keep
 * them). Null when there is no such attachment or it could not be decoded to its end.
 */
export async function readAttachment(raw: Buffer, position: number): Promise<Buffer | null> {
  try {
    const section = readHeaderSection(raw);
    const mime = await readMimeBody(section.sanitised, raw.subarray(section.bodyStart), {
      accepts: (part) => part.position === position,
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    return mime.attachments[position]?.content ?? null;
  } catch {
    return null;
  }
}
