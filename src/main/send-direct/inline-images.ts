import { createHash } from 'node:crypto';
import { posix, win32 } from 'node:path';
import { sniffImageType } from '../files/image-type';
import { classifyImageSource, type PathPlatform } from '../files/local-path';
import type { MessageFileReader } from '../files/message-file-reader';
import { FileRefusedError } from '../files/refused-file';
import { imageAttributesIn, replaceAttributeValues, type ImageAttribute } from './html-image-attributes';
import { srcsetUrls } from './srcset';

export interface InlineImage {
  readonly cid: string;
  readonly filename: string;
  /** From the bytes, never from the file's name. */
  readonly contentType: string;
  readonly content: Buffer;
}

export interface EmbedOptions {
  /** Reads each file within the message's size limits. */
  readonly files: MessageFileReader;
  readonly platform: PathPlatform;
}

/**
 * Seed 000: "no need to upload image files to your web site; you can include images from your local hard
 * disk". Every `<img>` `src` or `srcset` URL that is a file of this computer becomes an inline attachment
 * with a Content-ID (RFC 2392), and the URL becomes `cid:…`; the same file used twice is attached once.
 * The HTML comes from whoever wrote it (a pasted template, the renderer), so each file must be a regular
 * file on this computer whose bytes are an image, within the size limits; otherwise a FileRefusedError
 * names it and nothing is sent. Web (`https:`), `cid:` and `data:` URLs are left as they are.
 */
export async function embedLocalImages(html: string, options: EmbedOptions): Promise<{ html: string; images: InlineImage[] }> {
  const paths = options.platform === 'win32' ? win32 : posix;
  const byPath = new Map<string, InlineImage>();

  /** The `cid:` URL that replaces `source`, or null to keep it. */
  const embed = async (source: string): Promise<string | null> => {
    const kind = classifyImageSource(source, options.platform);
    if (kind.kind === 'not-local') return null;
    if (kind.kind === 'refused') throw new FileRefusedError(source.trim(), kind.reason);
    let image = byPath.get(kind.path);
    if (!image) {
      const content = await options.files.read(kind.path, kind.path);
      const contentType = sniffImageType(content);
      if (!contentType) throw new FileRefusedError(kind.path, 'not-image');
      const digest = createHash('sha256').update(content).digest('hex').slice(0, 24);
      image = { cid: `${digest}.${byPath.size + 1}@mail-settings`, filename: paths.basename(kind.path) || 'image', contentType, content };
      byPath.set(kind.path, image);
    }
    return `cid:${image.cid}`;
  };

  const replacements: { attribute: ImageAttribute; value: string }[] = [];
  for (const attribute of imageAttributesIn(html)) {
    if (attribute.name === 'src') {
      const cid = await embed(attribute.value);
      if (cid !== null) replacements.push({ attribute, value: cid });
      continue;
    }
    // srcset: each candidate's URL is replaced on its own; the descriptors ("2x", "480w") stay.
    let rewritten = '';
    let copied = 0;
    for (const candidate of srcsetUrls(attribute.value)) {
      const cid = await embed(candidate.url);
      if (cid === null) continue;
      rewritten += attribute.value.slice(copied, candidate.start) + cid;
      copied = candidate.end;
    }
    if (copied > 0) replacements.push({ attribute, value: rewritten + attribute.value.slice(copied) });
  }
  return { html: replaceAttributeValues(html, replacements), images: [...byPath.values()] };
}
