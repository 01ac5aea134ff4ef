import { decodeEightBit } from './eight-bit-text';

/**
 * The top-level header section of a message (RFC 5322 §2.2), read leniently and bounded, and rewritten into a
 * form the MIME parser cannot choke on. The raw bytes are kept elsewhere, exactly; this only decides what is
 * read from them.
 */

/** One field as read: the name lower-cased, the value unfolded (RFC 5322 §2.2.3) and as text. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

export interface HeaderSection {
  readonly fields: readonly HeaderField[];
  /** The same fields as UTF-8, one line each, CRLF line ends, and the blank line that ends a header. */
  readonly sanitised: Buffer;
  /** Offset in the raw message where the body starts (the raw length when there is none). */
  readonly bodyStart: number;
  /** What was wrong with the header, in a few plain words each. */
  readonly problems: readonly string[];
}

/**
 * RFC 5322 §2.1.1 limits a line to 998 characters; real mail breaks that (long References, pasted tokens),
 * so a field is kept up to 64 KiB and cut there. A 1 MB header line is an attack or a broken mailer.
 */
export const maxFieldBytes = 64 * 1024;
/** Fields past this many bytes of header, or past this many fields, are dropped (except the ones we read). */
export const maxHeaderBytes = 256 * 1024;
export const maxFields = 1000;
/** Fields read from the header, or that shape the MIME structure: kept even when the header is too big. */
const essentialFields = new Set([
  'from', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
  'mime-version', 'content-type', 'content-transfer-encoding', 'content-disposition',
]);

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const COLON = 0x3a;

interface FieldBeingRead {
  readonly pieces: Buffer[];
  size: number;
  cut: boolean;
}

/** Reads the header; only views of `raw` and at most the kept fields' bytes are held, however big it is. */
export function readHeaderSection(raw: Buffer): HeaderSection {
  const problems: string[] = [];
  const kept: FieldBeingRead[] = [];
  let current: FieldBeingRead | 'dropped' | null = null;
  let keptBytes = 0;
  let dropped = 0;
  let orphanLines = 0;
  let nul = false;
  let pos = startAfterMboxLine(raw);
  let bodyStart = raw.length;
  while (pos < raw.length) {
    const lf = raw.indexOf(LF, pos);
    const lineEnd = lf < 0 ? raw.length : lf;
    const next = lf < 0 ? raw.length : lf + 1;
    let line = raw.subarray(pos, lineEnd > pos && raw[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd);
    if (line.length === 0) {
      bodyStart = next;
      break;
    }
    if (line.includes(0)) {
      // RFC 5322 §3.5 text excludes NUL; it can split a field name ("Sub\0ject"). Only what can be kept of the
      // line is copied (one byte more, so that a cut is still noticed).
      line = Buffer.from(line.subarray(0, maxFieldBytes + 1).filter((byte) => byte !== 0));
      nul = true;
    }
    const nameEnd = fieldNameEnd(line);
    if (line[0] === SP || line[0] === HTAB) {
      if (current === null) orphanLines += 1;
      else if (current !== 'dropped') keptBytes += append(current, line);
    } else if (nameEnd > 0) {
      const name = line.subarray(0, nameEnd).toString('latin1').trim().toLowerCase();
      if (essentialFields.has(name) || (kept.length < maxFields && keptBytes < maxHeaderBytes)) {
        current = { pieces: [], size: 0, cut: false };
        kept.push(current);
        keptBytes += append(current, line);
      } else {
        current = 'dropped';
        dropped += 1;
      }
    } else {
      // RFC 5322 §2.1: the body follows a blank line. Some generators leave it out; the body starts at the
      // first line that cannot be a header field.
      problems.push(kept.length === 0 && dropped === 0 ? 'no header' : 'no blank line between header and body');
      bodyStart = pos;
      break;
    }
    pos = next;
  }
  if (nul) problems.push('NUL bytes removed from the header');
  if (orphanLines > 0) problems.push('a folded header line with no field before it was dropped');
  const { fields, sanitised } = assemble(kept, problems);
  if (dropped > 0) problems.push(`header too large: ${dropped} fields dropped`);
  return { fields, sanitised, bodyStart, problems };
}

/** An mbox "From " separator line (RFC 4155) is not part of the message; .eml files saved from mbox keep it. */
function startAfterMboxLine(raw: Buffer): number {
  if (raw.subarray(0, 5).toString('latin1') !== 'From ') return 0;
  const lf = raw.indexOf(LF);
  return lf < 0 ? raw.length : lf + 1;
}

/**
 * Where the name of the field this line starts ends, or 0 when it starts none. A field name is printable
 * ASCII but ":", then ":" (the obsolete syntax allows white space before it, RFC 5322 §4.5.3).
 */
function fieldNameEnd(line: Buffer): number {
  let index = 0;
  while (index < line.length && line[index]! > SP && line[index]! < 0x7f && line[index] !== COLON) index += 1;
  if (index === 0) return 0;
  let colon = index;
  while (colon < line.length && (line[colon] === SP || line[colon] === HTAB)) colon += 1;
  return line[colon] === COLON ? index : 0;
}

/** Adds a line to a field, up to the field's limit; returns the bytes kept. */
function append(field: FieldBeingRead, line: Buffer): number {
  if (field.cut) return 0;
  const room = maxFieldBytes - field.size;
  // Unfolding removes the line break and keeps the white space that starts the next line (§2.2.3).
  const piece = line.length > room ? line.subarray(0, utf8Boundary(line, room)) : line;
  field.cut = piece.length < line.length;
  field.pieces.push(piece);
  field.size += piece.length;
  return piece.length;
}

/** The largest length ≤ `length` that does not cut a UTF-8 sequence in two. */
function utf8Boundary(bytes: Buffer, length: number): number {
  let end = length;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return end;
}

function assemble(kept: readonly FieldBeingRead[], problems: string[]): Pick<HeaderSection, 'fields' | 'sanitised'> {
  const fields: HeaderField[] = [];
  const lines: string[] = [];
  const notUtf8 = new Set<string>();
  for (const field of kept) {
    const { text, wasUtf8 } = decodeEightBit(Buffer.concat(field.pieces, field.size));
    const colon = text.indexOf(':');
    const writtenName = text.slice(0, colon).trim();
    if (field.cut) problems.push(`header ${writtenName} longer than ${maxFieldBytes} bytes: cut`);
    if (!wasUtf8) notUtf8.add(writtenName);
    // A lone CR left inside a value would end the line for the MIME parser.
    const value = text.slice(colon + 1).replace(/[\r\n]/g, ' ').trim();
    fields.push({ name: writtenName.toLowerCase(), value });
    lines.push(`${writtenName}: ${value}\r\n`);
  }
  if (notUtf8.size > 0) problems.push(`header ${[...notUtf8].join(', ')} not UTF-8 (RFC 6532): read as Latin-1`);
  lines.push('\r\n');
  return { fields, sanitised: Buffer.from(lines.join(''), 'utf8') };
}

/** The first field of that name, or undefined. */
export function firstField(fields: readonly HeaderField[], name: string): string | undefined {
  return fields.find((field) => field.name === name)?.value;
}
