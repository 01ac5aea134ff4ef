import { caseNumberInSubject } from './case-subject';

/** What the records know about cases, as the matching needs it. */
export interface CaseLookup {
  /** The case a message with this Message-ID belongs to (a message kept, or an acknowledgement sent), if any. */
  caseOfMessageId(messageId: string): number | null;
  /**
   * The case a `[Case #n]` tag names for a message from this address, or null when there is none: case n;
   * in a shared database, a case copied there from an installation where it was n may answer instead.
   */
  caseOfTag(caseNumber: number, fromAddress: string | null): number | null;
  /** Whether this address opened the case, wrote to it, or was answered on it. */
  senderKnownToCase(caseId: number, address: string): boolean;
}

export type CaseMatch =
  | { readonly caseId: number; readonly matchedBy: 'in-reply-to' | 'references' }
  /** `flagged`: matched only by the tag, from an address the case has not seen: someone may have guessed a number. */
  | { readonly caseId: number; readonly matchedBy: 'subject'; readonly flagged: boolean };

export interface ThreadedMessage {
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  readonly subject: string;
  readonly fromAddress: string | null;
}

/**
 * The case a Service Desk message replies to, or null when it starts a new one. Tried in this order:
 * In-Reply-To, then each References entry from the last (the message replied to, RFC 5322 §3.6.4) to the
 * first, then the `[Case #n]` tag in the subject. Message ids survive mailers that rewrite the subject;
 * the tag survives mailers that drop the ids (and replies to an acknowledgement sent from another system).
 */
export function matchCase(message: ThreadedMessage, lookup: CaseLookup): CaseMatch | null {
  for (const id of message.inReplyTo) {
    const caseId = lookup.caseOfMessageId(id);
    if (caseId !== null) return { caseId, matchedBy: 'in-reply-to' };
  }
  for (const id of [...message.references].reverse()) {
    const caseId = lookup.caseOfMessageId(id);
    if (caseId !== null) return { caseId, matchedBy: 'references' };
  }
  const tagged = caseNumberInSubject(message.subject);
  const caseId = tagged === null ? null : lookup.caseOfTag(tagged, message.fromAddress);
  if (caseId === null) return null;
  const known = message.fromAddress !== null && lookup.senderKnownToCase(caseId, message.fromAddress);
  return { caseId, matchedBy: 'subject', flagged: !known };
}
