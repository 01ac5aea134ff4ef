import type { HeaderField } from '../parse/header-section';

/**
 * Whether a message was sent by a program rather than a person: an auto-reply (vacation notice, ticket
 * acknowledgement) or a report (bounce, read receipt). Such a message is kept and joins its case, but
 * never opens one and is never answered, which is how mail loops between two auto-responders are avoided
 * (RFC 3834 §2, §5).
 */
export interface AutomatedMessage {
  readonly kind: 'autoReply' | 'report';
  /** The header that says so, as a user could check it in the source, e.g. "Auto-Submitted: auto-replied". */
  readonly because: string;
}

/** The first value of a field (names are lower-case in `fields`). */
function field(fields: readonly HeaderField[], name: string): string | undefined {
  return fields.find((candidate) => candidate.name === name)?.value;
}

/** The first token of a structured value, without comments and parameters: "auto-replied (vacation); x=y" → "auto-replied". */
function firstToken(value: string): string {
  return value.replace(/\([^()]*\)/g, ' ').split(';')[0]!.trim().toLowerCase();
}

/** The value of one parameter of a Content-Type (RFC 2045 §5.1), quoted or not. */
function parameter(contentType: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(contentType);
  return match ? (match[1] ?? match[2] ?? '').toLowerCase() : null;
}

/** Precedence values that mean "don't answer" (RFC 3834 §3.1.8 recommends not responding to them). */
const noReplyPrecedence = new Set(['bulk', 'junk', 'list']);

/** Reads the top-level header fields; null for a message a person sent. */
export function automatedMessageOf(fields: readonly HeaderField[]): AutomatedMessage | null {
  // RFC 3834 §5: "no" (or no field at all) means a person sent it; any other keyword means a program did.
  const autoSubmitted = field(fields, 'auto-submitted');
  if (autoSubmitted !== undefined) {
    const keyword = firstToken(autoSubmitted);
    if (keyword !== '' && keyword !== 'no') return { kind: 'autoReply', because: `Auto-Submitted: ${keyword}` };
  }
  // RFC 6522 (multipart/report) carries RFC 3464 delivery status notifications (bounces) and RFC 8098
  // read receipts (disposition-notification).
  const contentType = field(fields, 'content-type');
  if (contentType !== undefined && firstToken(contentType) === 'multipart/report') {
    const reportType = parameter(contentType, 'report-type');
    return { kind: 'report', because: `Content-Type: multipart/report${reportType ? `; report-type=${reportType}` : ''}` };
  }
  // RFC 5321 §4.5.5: notifications (bounces) are sent with an empty reverse-path, which delivery records
  // as `Return-Path: <>`.
  const returnPath = field(fields, 'return-path');
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath.trim())) return { kind: 'report', because: 'Return-Path: <>' };
  // Not standard, but widely sent by auto-responders (Exchange, cPanel, Zendesk…).
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const value = field(fields, name);
    if (value !== undefined && firstToken(value) !== 'no') return { kind: 'autoReply', because: `${name === 'x-autoreply' ? 'X-Autoreply' : 'X-Autorespond'}: ${value.trim()}` };
  }
  const precedence = field(fields, 'precedence');
  if (precedence !== undefined && noReplyPrecedence.has(firstToken(precedence))) return { kind: 'autoReply', because: `Precedence: ${firstToken(precedence)}` };
  return null;
}
