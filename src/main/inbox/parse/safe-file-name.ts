/**
 * An attachment's name (as the message gave it, RFC 2183 `filename` / RFC 2045 `name`, after RFC 2231 and
 * RFC 2047 decoding) made safe to save under on Windows, macOS and Linux. A sender chooses this name: it must
 * not reach outside the folder it is saved in, nor pass for another name or another type when shown.
 */

export const fallbackFileName = 'attachment';
/** Bytes of UTF-8: below the 255 that ext4, APFS and NTFS allow for one name, with room for a "-2" suffix. */
export const maxFileNameBytes = 200;
/** An extension longer than this is not kept whole when the name must be shortened. */
const maxExtensionBytes = 20;

// C0 and C1 control characters and DEL: not allowed in Windows names, and they hide text in a terminal.
const controlCharacters = /\p{Cc}/gu;
// Bidirectional controls (Unicode UAX #9): a right-to-left override shows "invoice‮fdp.exe" as
// "invoiceexe.pdf". LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM; the Arabic letter mark.
const bidiControls = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// Characters Windows refuses in a name ("Naming Files, Paths, and Namespaces", Microsoft Learn).
const windowsInvalid = /[<>:"|?*]/g;
// Device names Windows reserves, with any extension, in any case ("CON.txt" opens the console). The same page
// lists COM and LPT with superscript digits ¹ ² ³ too.
const reservedNames = /^(?:con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])$/i;

export function safeFileName(name: string | null | undefined): string {
  let safe = lastPathSegment((name ?? '').normalize('NFC'))
    .replace(controlCharacters, '')
    .replace(bidiControls, '')
    .replace(windowsInvalid, '_')
    // ".." never reaches a path API as a component (there is no separator left), but a run of dots is still
    // refused: it reads as one, and Windows drops trailing dots.
    .replace(/\.{2,}/g, '.')
    // A leading dot hides the file on Linux and macOS.
    .replace(/^[\s.]+/, '');
  safe = withoutTrailingDotsOrSpaces(shortened(withoutTrailingDotsOrSpaces(safe)));
  if (safe === '') return fallbackFileName;
  if (reservedNames.test(stem(safe).trimEnd())) return `_${safe}`;
  return safe;
}

/** The name after its last "/" or "\": a path in a name is never followed, on any platform. */
function lastPathSegment(name: string): string {
  const segments = name.split(/[/\\]/).filter((segment) => segment.trim() !== '');
  return segments.at(-1) ?? '';
}

/** Windows removes trailing dots and spaces, so "a.exe." and "a.exe " are "a.exe" there. */
function withoutTrailingDotsOrSpaces(name: string): string {
  return name.replace(/[\s.]+$/, '');
}

/** The part before the first dot: Windows reserves "CON" with any extension, "CON.tar.gz" included. */
function stem(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

function shortened(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= maxFileNameBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  const kept = Buffer.byteLength(extension, 'utf8') <= maxExtensionBytes ? extension : '';
  const base = kept === '' ? name : name.slice(0, dot);
  return truncateUtf8(base, maxFileNameBytes - Buffer.byteLength(kept, 'utf8')) + kept;
}

/** At most `bytes` of UTF-8, cut between code points (never inside a surrogate pair). */
function truncateUtf8(text: string, bytes: number): string {
  let used = 0;
  let out = '';
  for (const codePoint of text) {
    const size = Buffer.byteLength(codePoint, 'utf8');
    if (used + size > bytes) break;
    out += codePoint;
    used += size;
  }
  return out;
}
