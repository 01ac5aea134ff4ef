import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../../shared/errors';

export interface InlineImage {
  readonly cid: string;
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

export class AttachmentError extends Error {
  constructor(readonly path: string) {
    super(`The file ${path} could not be read.`);
    this.name = 'AttachmentError';
  }
  get appError() {
    return {
      code: ErrorCode.AttachmentUnreadable,
      message: `The file “${this.path}” could not be read, so the message was not sent.`,
      fix: 'Check that the file exists and that you may open it, or remove it from the message.',
    };
  }
}

const imageTypes: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.svg': 'image/svg+xml',
};

// <img ... src="..."> with single, double or no quotes; the src value is group 2 (or 3, unquoted).
const imageSource = /(<img\b[^>]*?\bsrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** A local file reference: a file: URL, an absolute POSIX path, or a Windows drive path. */
function localPathOf(src: string): string | null {
  const value = src.trim();
  if (/^file:/i.test(value)) {
    try {
      return fileURLToPath(value);
    } catch {
      return null;
    }
  }
  if (/^[a-z]:[\\/]/i.test(value) || (isAbsolute(value) && value.startsWith('/'))) return value;
  return null;
}

/**
 * Seed 000: "no need to upload image files to your web site; you can include images from your local hard
 * disk". Every <img> whose src is a local file becomes an inline attachment with a Content-ID, and the
 * src becomes `cid:…`. The same file used twice is attached once.
 */
export async function embedLocalImages(html: string): Promise<{ html: string; images: InlineImage[] }> {
  const byPath = new Map<string, InlineImage>();
  for (const match of html.matchAll(imageSource)) {
    const src = match[2] ?? match[3] ?? match[4] ?? '';
    const path = localPathOf(src);
    if (!path || byPath.has(path)) continue;
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch {
      throw new AttachmentError(path);
    }
    const digest = createHash('sha256').update(content).digest('hex').slice(0, 24);
    const filename = path.split(/[\\/]/).pop() ?? 'image';
    byPath.set(path, {
      cid: `${digest}.${byPath.size + 1}@mail-settings`,
      filename,
      contentType: imageTypes[extname(filename).toLowerCase()] ?? 'application/octet-stream',
      content,
    });
  }
  const rewritten = html.replace(imageSource, (whole, prefix: string, double?: string, single?: string, bare?: string) => {
    const path = localPathOf(double ?? single ?? bare ?? '');
    const image = path ? byPath.get(path) : undefined;
    return image ? `${prefix}"cid:${image.cid}"` : whole;
  });
  return { html: rewritten, images: [...byPath.values()] };
}
