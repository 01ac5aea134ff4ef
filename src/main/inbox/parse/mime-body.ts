import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { MailParser, type AddressObject, type AttachmentStream, type Headers, type MessageText } from 'mailparser';
import { charsetDecoders } from './charset-decoder';

/**
 * The MIME structure of a message (RFC 2045–2049): text, HTML and attachments, read with mailparser's
 * streaming `MailParser` rather than `simpleParser`. Given a 50 MB Buffer, simpleParser writes it in one go,
 * and mailsplit's ChunkedPassthrough concatenates it into a second 50 MB copy held for the whole parse; it
 * also computes an MD5 of every attachment and writes a base64 `data:` copy of every image the HTML refers to
 * by `cid:` into the HTML. Here the input goes in as 64 KiB views of the caller's buffer and each attachment
 * is hashed (SHA-256) and measured as it streams, its decoded bytes let go chunk by chunk: they are in the
 * raw message, which is kept, and can be decoded again from it (attachment-content.ts). So what is held is
 * the message and its text, plus the decoded bytes of only the parts the caller asks to keep.
 */

export interface MimeAttachment {
  /** As the message named it (RFC 2231 and RFC 2047 decoded); not yet safe as a file name. */
  readonly fileName: string | undefined;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  /** The decoded bytes, for a part `keepContent` accepted (up to its maxBytes); otherwise null. */
  readonly content: Buffer | null;
}

/** Which attachments' decoded bytes to hold (by position among the attachments, and what they say they are). */
export interface KeepContent {
  readonly accepts: (part: { readonly position: number; readonly fileName: string | undefined; readonly contentType: string }) => boolean;
  /** A kept part larger than this is not held after all (content null). */
  readonly maxBytes: number;
}

export interface MimeBody {
  /** The top-level header as mailparser decoded it (RFC 2047 words, addresses); null if never reached. */
  readonly headers: Headers | null;
  /** null when the parser never got to the end of the message. */
  readonly text: string | null;
  readonly html: string | null;
  readonly attachments: readonly MimeAttachment[];
  /** Text part charsets that no decoder knows (their bytes read as UTF-8, or Latin-1 when not UTF-8). */
  readonly unknownCharsets: readonly string[];
  /** Why the parser stopped early, or null. */
  readonly error: string | null;
}

const chunkSize = 64 * 1024;
/** HTML longer than this is not turned into text (html-to-text is slow on megabytes); the HTML is kept. */
const maxHtmlToText = 2 * 1024 * 1024;
/** Per MIME part: a sanitised top-level header stays far below this; a nested part's header may not. */
const maxPartHeaderBytes = 2 * 1024 * 1024;

export function readMimeBody(header: Buffer, body: Buffer, keepContent: KeepContent | null = null): Promise<MimeBody> {
  const unknownCharsets = new Set<string>();
  const parser = new MailParser({
    Iconv: charsetDecoders(unknownCharsets),
    skipTextToHtml: true,
    checksumAlgo: false,
    maxHtmlLengthToParse: maxHtmlToText,
    maxHeadSize: maxPartHeaderBytes,
  });
  let headers: Headers | null = null;
  let message: MessageText | null = null;
  // By position in the message: a slot is taken when a part starts, filled when it ends.
  const attachments: Array<MimeAttachment | undefined> = [];

  return new Promise((resolve) => {
    let settled = false;
    const settle = (error: string | null): void => {
      if (settled) return;
      settled = true;
      resolve({
        headers,
        text: message ? (message.text ?? '') : null,
        html: message?.html ?? null,
        attachments: attachments.filter((attachment) => attachment !== undefined),
        unknownCharsets: [...unknownCharsets],
        error,
      });
    };
    parser.on('headers', (parsed: Headers) => {
      headers = parsed;
    });
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') message = data;
      else collect(data, attachments, keepContent, (error) => {
        parser.destroy();
        settle(error);
      });
    });
    parser.on('error', (error: Error) => {
      parser.destroy();
      settle(error.message);
    });
    parser.on('end', () => settle(null));
    Readable.from(slices(header, body)).pipe(parser);
  });
}

function* slices(header: Buffer, body: Buffer): Generator<Buffer> {
  yield header;
  for (let offset = 0; offset < body.length; offset += chunkSize) yield body.subarray(offset, offset + chunkSize);
}

function collect(attachment: AttachmentStream, into: Array<MimeAttachment | undefined>, keepContent: KeepContent | null, fail: (error: string) => void): void {
  const position = into.length;
  into.push(undefined);
  const hash = createHash('sha256');
  let chunks: Buffer[] | null = keepContent?.accepts({ position, fileName: attachment.filename, contentType: attachment.contentType }) ? [] : null;
  let size = 0;
  attachment.content.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
    if (chunks && keepContent && size > keepContent.maxBytes) chunks = null;
    chunks?.push(chunk);
  });
  attachment.content.on('end', () => {
    into[position] = {
      fileName: attachment.filename,
      contentType: attachment.contentType,
      size,
      sha256: hash.digest('hex'),
      content: chunks ? Buffer.concat(chunks, size) : null,
    };
    chunks = null;
    attachment.release?.();
  });
  attachment.content.on('error', (error: Error) => fail(`attachment could not be decoded: ${error.message}`));
}

/** The first mailbox of an address header (a group's first member), as mailparser decoded it. */
export function firstMailbox(headers: Headers | null, name: string): { address: string; name: string } | null {
  const value = headers?.get(name) as AddressObject | undefined;
  const pending = [...(value?.value ?? [])];
  for (let entry = pending.shift(); entry !== undefined; entry = pending.shift()) {
    if (entry.group) pending.unshift(...entry.group);
    else if (entry.address?.includes('@')) return { address: entry.address, name: entry.name };
  }
  return null;
}
