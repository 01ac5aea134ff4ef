/**
 * RFC 4648 section 6 base32 (A-Z, 2-7): how authenticator apps take a TOTP secret typed in by hand or read
 * from an otpauth URI. Written out here (a few lines) rather than depended on.
 */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Base32 without padding: Google Authenticator's key URI format leaves the `=` out. */
export function encodeBase32(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) text += alphabet[(buffer << (5 - bits)) & 31];
  return text;
}

/**
 * Decodes base32 as people type it: any case, spaces and `=` padding ignored. Null when a character is not
 * in the alphabet (0, 1, 8, 9 and punctuation are not).
 */
export function decodeBase32(text: string): Uint8Array | null {
  const cleaned = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const character of cleaned) {
    const value = alphabet.indexOf(character);
    if (value < 0) return null;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return Uint8Array.from(bytes);
}
