/**
 * What kind of image some bytes are, from the bytes alone (the file's name says nothing: `id_rsa` renamed
 * `logo.png` is still a key). The signatures are those of the WHATWG MIME Sniffing standard, §6.1 "Matching
 * an image type pattern", made stricter where its pattern is too short to mean anything (BMP's "BM").
 */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/bmp' | 'image/svg+xml';

export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWithText(bytes, 'GIF87a') || startsWithText(bytes, 'GIF89a')) return 'image/gif';
  if (startsWithText(bytes, 'RIFF') && startsWithText(bytes.subarray(8), 'WEBPVP')) return 'image/webp';
  if (isBmp(bytes)) return 'image/bmp';
  if (isSvgText(bytes)) return 'image/svg+xml';
  return null;
}

/** The sizes of the BMP info headers Windows and OS/2 define (BITMAPCOREHEADER 12 … BITMAPV5HEADER 124). */
const bmpInfoHeaderSizes = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/**
 * "BM", then (BITMAPFILEHEADER) the file size, two reserved words that must be zero, the pixel offset, and
 * an info header of a known size: a text file that happens to start with "BM" is not taken for an image.
 */
function isBmp(bytes: Uint8Array): boolean {
  if (bytes.length < 26 || !startsWithText(bytes, 'BM')) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(6, true) === 0 && bmpInfoHeaderSizes.has(view.getUint32(14, true));
}

/**
 * SVG is text, so it is recognised as text: valid UTF-8, and before the `<svg` root element only what XML
 * allows in a prolog (XML 1.0 §2.8): an XML declaration, comments, processing instructions, a doctype,
 * white space.
 */
function isSvgText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return false;
  }
  let rest = text;
  for (;;) {
    rest = rest.replace(/^[\t\n\r ]+/, '');
    const prolog = /^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?[\t\n\r ]*>)/.exec(rest);
    if (!prolog) break;
    rest = rest.slice(prolog[0].length);
  }
  return /^<svg[\t\n\r />]/.test(rest);
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

function startsWithText(bytes: Uint8Array, ascii: string): boolean {
  return startsWith(bytes, [...ascii].map((char) => char.charCodeAt(0)));
}
