import { rawSourceLimit, type InboxRecordDetail, type InboxRecordSummary } from '../../shared/inbox';
import type { InboxRecord } from '../records/inbox-records';
import type { ParsedInbound } from './inbound-message';

/** A record as a row of the records view: no bytes, no internal keys (account, UIDVALIDITY, UID). */
export function recordSummaryOf(record: InboxRecord): InboxRecordSummary {
  return {
    id: record.id,
    inbox: record.inbox,
    type: record.type,
    messageId: record.messageId,
    subject: record.subject,
    fromAddress: record.fromAddress,
    fromName: record.fromName,
    date: record.date,
    retrievedAt: record.retrievedAt,
    fields: record.fields,
    caseId: record.caseId,
    owner: record.owner,
    queue: record.queue,
    caseReference: record.caseReference,
    threadRole: record.threadRole,
    matchedBy: record.matchedBy,
    flagged: record.flagged,
    automatedBecause: record.automatedBecause,
    parseError: record.parseError,
    rawSha256: record.rawSha256,
    rawSize: record.rawSize,
    attachments: record.attachments.map(({ fileName, contentType, size }) => ({ fileName, contentType, size })),
  };
}

/**
 * A record opened: its bodies as read again from the original bytes (the records keep those, so the view
 * shows exactly what arrived) and the source as text. The HTML is as the sender wrote it: the renderer
 * shows it only in a sandboxed frame, without scripts or remote content.
 */
export function recordDetailOf(record: InboxRecord, raw: Uint8Array, parsed: Pick<ParsedInbound, 'text' | 'html'>, caseThread: readonly InboxRecord[] = []): InboxRecordDetail {
  const shown = raw.subarray(0, rawSourceLimit);
  return {
    ...recordSummaryOf(record),
    text: parsed.text,
    html: parsed.html,
    inReplyTo: record.inReplyTo,
    references: record.references,
    // Undecodable bytes (8-bit headers in another charset) become U+FFFD, never an error.
    rawSource: new TextDecoder('utf-8', { fatal: false }).decode(shown),
    rawSourceTruncated: raw.byteLength > shown.byteLength,
    caseThread: caseThread.map(recordSummaryOf),
  };
}
