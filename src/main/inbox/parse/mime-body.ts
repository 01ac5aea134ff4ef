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
 * is hashed (SHA-256) as it streams, so what is held is the message, its decoded attachments, and briefly one
 * attachment twice while its chunks are joined into one Buffer.
 */

export interface MimeAttachment {
  /** As the message named it (RFC 2231 and RFC 2047 decoded); not yet safe as a file name. */
  readonly fileName: string | undefined;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly content: Buffer;
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

export function readMimeBody(header: Buffer, body: Buffer): Promise<MimeBody> {
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
  const attachments: MimeAttachment[] = [];

  return new Promise((resolve) => {
    let settled = false;
    const settle = (error: string | null): void => {
      if (settled) return;
      settled = true;
      resolve({
        headers,
        text: message ? (message.text ?? '') : null,
        html: message?.html ?? null,
        attachments,
        unknownCharsets: [...unknownCharsets],
        error,
      });
    };
    parser.on('headers', (parsed: Headers) => {
      headers = parsed;
    });
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') message = data;
      else collect(data, attachments, (error) => {
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

function collect(attachment: AttachmentStream, into: MimeAttachment[], fail: (error: string) => void): void {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  attachment.content.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    chunks.push(chunk);
    size += chunk.length;
  });
  attachment.content.on('end', () => {
    into.push({
      fileName: attachment.filename,
      contentType: attachment.contentType,
      size,
      sha256: hash.digest('hex'),
      content: Buffer.concat(chunks, size),
    });
    chunks.length = 0;
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
