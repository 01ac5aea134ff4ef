import type { StructuredHeader } from 'mailparser';

/**
 * What is wrong with a message's top-level multipart structure (RFC 2046 §5.1.1), in a few plain words, or
 * null. mailparser reads past these without a word (a multipart without a boundary comes out empty, one
 * without its closing delimiter as whatever was there): they are how a cut-short or hand-made message shows.
 * Nested multiparts are not checked.
 */
export function multipartProblem(contentType: StructuredHeader | undefined, body: Buffer): string | null {
  const type = contentType?.value.toLowerCase() ?? '';
  if (!type.startsWith('multipart/')) return null;
  const boundary = contentType?.params['boundary'] ?? '';
  if (boundary === '') return `${type} without a boundary`;
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  if (lineStartingWith(body, delimiter, body.indexOf(delimiter)) < 0) return `${type} whose boundary never appears`;
  const closing = Buffer.from(`--${boundary}--`, 'utf8');
  if (lineStartingWithBackwards(body, closing) < 0) return `${type} not terminated (no closing boundary: the message may be cut short)`;
  return null;
}

/** The first offset ≥ `from` where a line starts with `prefix`, or -1. */
function lineStartingWith(body: Buffer, prefix: Buffer, from: number): number {
  for (let at = from; at >= 0; at = body.indexOf(prefix, at + 1)) if (at === 0 || body[at - 1] === 0x0a) return at;
  return -1;
}

/** The last offset where a line starts with `prefix`, or -1 (the closing delimiter is near the end). */
function lineStartingWithBackwards(body: Buffer, prefix: Buffer): number {
  for (let at = body.lastIndexOf(prefix); at >= 0; at = at === 0 ? -1 : body.lastIndexOf(prefix, at - 1)) {
    if (at === 0 || body[at - 1] === 0x0a) return at;
  }
  return -1;
}
