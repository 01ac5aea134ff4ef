/**
 * A message taken from an inbox (Lead Inbox, Service Desk Inbox), as the records keep it: the exact bytes
 * the server served, and what could be read from them. Parsing never decides whether a message is kept:
 * a message that cannot be parsed is stored raw with `parseError` set (never dropped).
 */

/** The inboxes that empty a mailbox into records. */
export const inboxIds = ['lead', 'serviceDesk'] as const;
export type InboxId = (typeof inboxIds)[number];

/** What a web form submission said, by meaning (names in English, French or German map here). */
export interface LeadFields {
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly company?: string;
  readonly message?: string;
}

/**
 * An attachment as the records keep it: what it is, not its bytes. Those are in the raw message, which is
 * always kept, and are decoded again from it when asked (parse/attachment-content.ts); `sha256` proves
 * that what comes back is what arrived.
 */
export interface InboundAttachment {
  /** Safe to use as a file name on every platform (no path, no reserved name, no bidi controls, bounded). */
  readonly fileName: string;
  readonly contentType: string;
  /** Decoded size in bytes. */
  readonly size: number;
  /** SHA-256 of the decoded bytes. */
  readonly sha256: string;
}

export interface ParsedInbound {
  /** The Message-ID header without angle brackets, or null when there is none. */
  readonly messageId: string | null;
  /** Decoded (RFC 2047) subject; '' when missing. */
  readonly subject: string;
  /** The sender's address (lower-cased) and display name, decoded; null when missing or unreadable. */
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  /** The Date header as an ISO string, or null when missing or unreadable. */
  readonly date: string | null;
  /** In-Reply-To and References message ids (without brackets), kept for threading. */
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  readonly text: string;
  /** The HTML body as sent (never rendered with scripts or remote content). */
  readonly html: string | null;
  /** Fields of a web-form submission (Lead Inbox); empty for ordinary mail. */
  readonly fields: LeadFields;
  readonly attachments: readonly InboundAttachment[];
  /** Why the message could not be (fully) parsed; null when it parsed cleanly. */
  readonly parseError: string | null;
}
