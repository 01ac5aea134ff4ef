import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

/**
 * Text from bytes whose charset nobody declared: 8-bit header fields, and bodies in a charset nobody knows.
 * RFC 6532 allows raw UTF-8 in header fields; older mailers wrote Latin-1 there instead, which is never valid
 * UTF-8 beyond plain ASCII. So valid UTF-8 is read as UTF-8 and anything else as Latin-1. "Latin-1" here is
 * windows-1252, as the WHATWG Encoding Standard (and every browser) reads the label: it is ISO-8859-1 where
 * that has printable characters, and gives 0x80–0x9F the quotes and dashes those mailers meant.
 */

const latin1 = new TextDecoder('windows-1252');

export interface EightBitText {
  readonly text: string;
  /** False when the bytes were not UTF-8 and were read as Latin-1. */
  readonly wasUtf8: boolean;
}

export function decodeEightBit(bytes: Buffer): EightBitText {
  if (isAscii(bytes)) return { text: bytes.toString('latin1'), wasUtf8: true };
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), wasUtf8: true };
  return { text: latin1.decode(bytes), wasUtf8: false };
}
