import type { StructuredHeader } from 'mailparser';
import type { InboundAttachment, InboxId, ParsedInbound } from '../inbound-message';
import { decodeEightBit } from './eight-bit-text';
import { firstField, readHeaderSection, type HeaderSection } from './header-section';
import { leadFieldsFrom } from './lead-fields';
import { parseMailDate } from './mail-date';
import { messageIdOf, messageIdsIn } from './message-ids';
import { firstMailbox, readMimeBody, type KeepContent, type MimeBody } from './mime-body';
import { multipartProblem } from './multipart-structure';
import { safeFileName } from './safe-file-name';

/**
 * Reads a message taken from an inbox. It never throws and never drops a message: whatever cannot be read is
 * named in `parseError` (short plain reasons, "; "-separated) and the rest is returned, with the body's raw
 * text when its MIME structure could not be read. `raw` is not copied, and is read as it is: the caller
 * stores those exact bytes.
 */
export async function parseInbound(raw: Buffer, inbox: InboxId): Promise<ParsedInbound> {
  const problems: string[] = [];
  let section: HeaderSection | null = null;
  try {
    section = readHeaderSection(raw);
    problems.push(...section.problems);
    const body = raw.subarray(section.bodyStart);
    const mime = await readMimeBody(section.sanitised, body, keepJsonBodies);
    return assemble(section, body, mime, inbox, problems);
  } catch (error) {
    // Nothing above is expected to throw; if it does, the message is still kept, with what the header said.
    problems.push(`could not be parsed: ${error instanceof Error ? error.message : String(error)}`);
    return {
      ...emptyParse,
      ...(section ? headerOnly(section) : {}),
      text: fallbackText(raw.subarray(section?.bodyStart ?? 0), problems),
      parseError: joined(problems),
    };
  }
}

const emptyParse: ParsedInbound = {
  messageId: null, subject: '', fromAddress: null, fromName: null, date: null, inReplyTo: [], references: [],
  text: '', html: null, fields: {}, attachments: [], parseError: null,
};

function assemble(section: HeaderSection, body: Buffer, mime: MimeBody, inbox: InboxId, problems: string[]): ParsedInbound {
  const header = headerOnly(section);
  if (header.date === null) problems.push(firstField(section.fields, 'date') === undefined ? 'no Date header' : 'unreadable Date header');
  const subject = mime.headers?.get('subject');
  const from = firstMailbox(mime.headers, 'from');
  if (!from) problems.push(firstField(section.fields, 'from') === undefined ? 'no From header' : 'unreadable From header');
  const structure = multipartProblem(mime.headers?.get('content-type') as StructuredHeader | undefined, body);
  if (structure) problems.push(structure);
  if (mime.unknownCharsets.length > 0) problems.push(`unknown charset ${mime.unknownCharsets.join(', ')}: read as UTF-8 or Latin-1`);
  if (mime.error) problems.push(`MIME structure unreadable: ${mime.error}`);

  const readNothing = !mime.text && !mime.html && mime.attachments.length === 0 && /\S/.test(body.subarray(0, 4096).toString('latin1'));
  const text = mime.error || readNothing ? fallbackText(body, problems) : withoutNul(mime.text ?? '', problems);
  const html = mime.html === null ? null : withoutNul(mime.html, problems);
  return {
    ...header,
    subject: typeof subject === 'string' ? subject : header.subject,
    fromAddress: from ? from.address.toLowerCase() : null,
    fromName: from?.name || null,
    text,
    html,
    fields: inbox === 'lead' ? leadFieldsFrom(text, html, jsonBodies(mime)) : {},
    attachments: mime.attachments.map(({ fileName, contentType, size, sha256 }): InboundAttachment => ({ fileName: safeFileName(fileName), contentType, size, sha256 })),
    parseError: joined(problems),
  };
}

/** A JSON body is a part of type application/json (or +json, RFC 6839) with no file name: not a file sent along. */
const isJsonBody = (part: { readonly fileName: string | undefined; readonly contentType: string }): boolean =>
  part.fileName === undefined && /^application\/(?:[\w.-]+\+)?json$/i.test(part.contentType);
const maxJsonBodyBytes = 512 * 1024;
/** The only decoded bytes parsing holds: a JSON body's, to read web-form fields from it. */
const keepJsonBodies: KeepContent = { accepts: isJsonBody, maxBytes: maxJsonBodyBytes };

function jsonBodies(mime: MimeBody): string[] {
  return mime.attachments.flatMap((part) => (isJsonBody(part) && part.content ? [decodeEightBit(part.content).text] : []));
}

/** What the header says, read without mailparser (the subject not RFC 2047-decoded). */
function headerOnly(section: HeaderSection): Pick<ParsedInbound, 'messageId' | 'subject' | 'date' | 'inReplyTo' | 'references'> {
  const all = (name: string): string => section.fields.filter((field) => field.name === name).map((field) => field.value).join(' ');
  return {
    messageId: messageIdOf(firstField(section.fields, 'message-id')),
    subject: firstField(section.fields, 'subject') ?? '',
    date: parseMailDate(firstField(section.fields, 'date')),
    inReplyTo: messageIdsIn(all('in-reply-to')),
    references: messageIdsIn(all('references')),
  };
}

/** Raw body text is a fallback for reading, not the record (the raw message is); a megabyte of it is plenty. */
const maxFallbackBytes = 1024 * 1024;

function fallbackText(body: Buffer, problems: string[]): string {
  let end = Math.min(body.length, maxFallbackBytes);
  // Not inside a UTF-8 sequence, or the whole text would no longer be UTF-8 and be read as Latin-1.
  while (end < body.length && end > 0 && (body[end]! & 0xc0) === 0x80) end -= 1;
  const { text } = decodeEightBit(body.subarray(0, end));
  return withoutNul(text.replace(/\r\n?/g, '\n'), problems);
}

/** RFC 5322 §3.5 and RFC 2045 §2.7–2.8: text has no NUL. SQLite and C strings would end the text there. */
function withoutNul(text: string, problems: string[]): string {
  if (!text.includes('\0')) return text;
  if (!problems.includes(nulInBody)) problems.push(nulInBody);
  return text.replaceAll('\0', '');
}
const nulInBody = 'NUL bytes removed from the body';

const maxParseErrorLength = 500;

function joined(problems: readonly string[]): string | null {
  if (problems.length === 0) return null;
  const text = problems.join('; ');
  return text.length > maxParseErrorLength ? `${text.slice(0, maxParseErrorLength - 1)}…` : text;
}
