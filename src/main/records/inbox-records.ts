import type { DatabaseSync } from 'node:sqlite';
import type { InboxId, LeadFields, ParsedInbound } from '../inbox/inbound-message';
import type { RetrievalSource } from '../inbox/retrieval/retrieval-source';
import { caseThreadsOn, type CasePlacement, type MatchedBy, type ThreadRole } from './case-threads';
import { mailboxCounterStatementsOn } from './mailbox-counters';

/** Where a message was on the server: its identity there is (mailbox, UIDVALIDITY, UID), RFC 3501 2.3.1.1. */
export interface MailboxLocation {
  /** The Lead Inbox, the Service Desk Inbox or an integration mailbox (`integration:<id>`). */
  readonly inbox: RetrievalSource;
  /** Server host + user name, lower-cased (see accountKeyOf). */
  readonly accountKey: string;
  readonly mailbox: string;
  readonly uidValidity: number;
}

/** A message as fetched, ready to be kept. */
export interface RetrievedMessage {
  readonly uid: number;
  /** The exact bytes the server served (BODY.PEEK[]). */
  readonly raw: Uint8Array;
  readonly rawSha256: string;
  readonly parsed: ParsedInbound;
  /**
   * False for a message another program marked \Deleted: it is recognised if we already keep it (then
   * it is ours, flagged by an earlier run), never imported as new.
   */
  readonly storeIfNew: boolean;
  /**
   * What this message becomes, when its source decides per message (an integration mailbox's aliases);
   * without it, the inbox's own: Lead Inbox → a note of the batch's activity type, Service Desk → a case.
   */
  readonly target?: MessageTarget;
}

/** The record one message becomes. */
export type MessageTarget =
  /** An activity note of this type, with its owner (an integration alias's; null for none). */
  | { readonly kind: 'lead'; readonly activityType: string; readonly owner: string | null }
  /** A case (or a reply joining one), in this queue (null: the Service Desk Inbox's own, no queue). */
  | { readonly kind: 'serviceDesk'; readonly queue: string | null; readonly acknowledgeNewCases: boolean };

export type StoreOutcome =
  | { readonly uid: number; readonly kind: 'stored'; readonly id: number }
  /** Kept before: same location and UID, or the same Message-ID and bytes (a UIDVALIDITY change, a copy). */
  | { readonly uid: number; readonly kind: 'alreadyStored'; readonly by: 'uid' | 'content' }
  | { readonly uid: number; readonly kind: 'notStored' };

/** What an inbox's messages become: Lead Inbox → an activity note of the chosen type; Service Desk → a case. */
export interface RecordTarget {
  /** The activity type of Lead Inbox notes (e.g. "Web Lead"). */
  readonly leadActivityType: string;
  /** Service Desk: queue an acknowledgement to the sender of each new case (sent after the commit). */
  readonly acknowledgeNewCases?: boolean;
}

export interface InboxAttachmentInfo {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

export interface InboxRecord {
  readonly id: number;
  /** Which list it is in: the Lead Inbox's notes or the Service Desk's cases. */
  readonly inbox: InboxId;
  /** Where it came from: `lead`, `serviceDesk`, or an integration mailbox (`integration:<id>`). */
  readonly source: string;
  readonly accountKey: string;
  readonly mailbox: string;
  readonly uidValidity: number;
  readonly uid: number;
  readonly messageId: string | null;
  readonly rawSha256: string;
  readonly rawSize: number;
  readonly subject: string;
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  readonly date: string | null;
  readonly fields: LeadFields;
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  readonly parseError: string | null;
  /** The activity type of the note a Lead Inbox message became; null for a case. */
  readonly type: string | null;
  /** The note's owner (an integration alias's); null when none. */
  readonly owner: string | null;
  /** The case's queue (an integration alias's); null when none. */
  readonly queue: string | null;
  readonly activityNoteId: number | null;
  readonly caseId: number | null;
  /** `[Case #123]` for a Service Desk case. */
  readonly caseReference: string | null;
  /** Service Desk: what the message is to its case; null for a Lead Inbox note. */
  readonly threadRole: ThreadRole | null;
  /** How a reply found its case; null when it opened one (or joined none). */
  readonly matchedBy: MatchedBy | null;
  /** Matched only by the subject's tag, from a sender the case had not seen. */
  readonly flagged: boolean;
  /** Why it was taken for an auto-reply or a report, e.g. "Auto-Submitted: auto-replied". */
  readonly automatedBecause: string | null;
  readonly retrievedAt: string;
  readonly attachments: readonly InboxAttachmentInfo[];
}

/** What else a batch's transaction does, so that it is on disk together with the records or not at all. */
export interface StoreBatchOptions {
  /**
   * Moves the mailbox counter of "Leave messages on the server" up to the highest UID the batch kept
   * (stored now or before; never down), for this location.
   */
  readonly raiseCounter?: boolean;
}

export interface InboxRecords {
  /** UIDs already kept for this location, among from..to (a listing's range: the table only grows). */
  storedUids(location: MailboxLocation, from: number, to: number): Promise<Set<number>>;
  /**
   * Keeps a batch in ONE transaction: raw bytes, parsed fields, what the attachments are (their bytes are
   * in the raw message) and the record each became; with `options`, the mailbox counter too.
   * Idempotent: a message kept before (same UID here, or same Message-ID + bytes) is not kept twice, so
   * two runs that overlap, or a run after a crash between commit and expunge, never double a record.
   * Resolves once the transaction is on disk (synchronous=FULL): only then may the server copy go.
   * One method, one transaction: a database with a client per connection keeps it on one client.
   */
  storeBatch(
    location: MailboxLocation,
    messages: readonly RetrievedMessage[],
    target: RecordTarget,
    options?: StoreBatchOptions,
  ): Promise<StoreOutcome[]>;
  hasActivityType(name: string): Promise<boolean>;
  list(options: { readonly inbox: InboxId; readonly limit?: number }): Promise<InboxRecord[]>;
  /** A Service Desk case's messages, oldest first: the one that opened it, its replies and auto-replies. */
  caseThread(caseId: number): Promise<InboxRecord[]>;
  /** The exact bytes the server served, or null for an unknown id. */
  raw(id: number): Promise<Uint8Array | null>;
}

/** A case's thread shows this many messages at most (a mail loop can make thousands). */
export const maxThreadMessages = 500;

/** How a Service Desk case is referred to, in subjects and in the records view. */
export function caseReference(caseId: number): string {
  return `[Case #${caseId}]`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function inboxRecordsOn(db: DatabaseSync, now: () => Date): InboxRecords {
  const selectByUid = db.prepare('SELECT id FROM inbox_messages WHERE account_key = ? AND inbox = ? AND mailbox = ? AND uid_validity = ? AND uid = ?');
  // Exactly the unique content key (migration 10), so that it serves this check: no Message-ID is ''.
  const selectByContent = db.prepare("SELECT id FROM inbox_messages WHERE inbox = ? AND COALESCE(message_id, '') = ? AND raw_sha256 = ? LIMIT 1");
  const selectUids = db.prepare('SELECT uid FROM inbox_messages WHERE account_key = ? AND inbox = ? AND mailbox = ? AND uid_validity = ? AND uid BETWEEN ? AND ?');
  const insertNote = db.prepare(`
    INSERT INTO activity_notes (type_id, subject, from_address, to_addresses, occurred_at, body_html, raw_message, created_at, owner)
    VALUES ((SELECT id FROM activity_types WHERE name = ?), ?, ?, '[]', ?, ?, NULL, ?, ?) RETURNING id`);
  const insertCase = db.prepare('INSERT INTO cases (subject, from_address, from_name, opened_at, created_at, queue) VALUES (?, ?, ?, ?, ?, ?) RETURNING id');
  const insertMessage = db.prepare(`
    INSERT INTO inbox_messages (inbox, target, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, raw,
      subject, from_address, from_name, sent_at, fields, in_reply_to, reference_ids, parse_error, activity_note_id, case_id, retrieved_at,
      thread_role, matched_by, flagged, automated_because)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`);
  const threads = caseThreadsOn(db);
  const counters = mailboxCounterStatementsOn(db, now);
  const queueAcknowledgement = db.prepare("INSERT INTO case_acknowledgements (case_id, recipient, state, queued_at) VALUES (?, ?, 'due', ?)");
  const insertAttachment = db.prepare(`
    INSERT INTO inbox_attachments (inbox_message_id, position, file_name, content_type, size, sha256) VALUES (?, ?, ?, ?, ?, ?)`);
  const selectType = db.prepare('SELECT 1 FROM activity_types WHERE name = ?');
  const selectRecords = db.prepare(`
    SELECT ${recordColumns} FROM ${recordJoins}
    WHERE m.target = ? ORDER BY m.id DESC LIMIT ?`);
  const selectAttachments = db.prepare('SELECT file_name, content_type, size, sha256 FROM inbox_attachments WHERE inbox_message_id = ? ORDER BY position');
  const selectRaw = db.prepare('SELECT raw FROM inbox_messages WHERE id = ?');
  // Without the raw bytes: a thread lists its messages, it does not show them.
  const selectThread = db.prepare(`
    SELECT id, inbox, target, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, subject, from_address, from_name,
      sent_at, fields, in_reply_to, reference_ids, parse_error, activity_note_id, case_id, retrieved_at, thread_role, matched_by,
      flagged, automated_because, NULL AS type_name, NULL AS note_owner, (SELECT queue FROM cases WHERE id = case_id) AS case_queue
    FROM inbox_messages WHERE case_id = ? ORDER BY id LIMIT ?`);

  function keep(location: MailboxLocation, message: RetrievedMessage, target: MessageTarget, at: string): number {
    const { parsed } = message;
    let noteId: number | null = null;
    let caseId: number | null = null;
    let placement: CasePlacement | null = null;
    if (target.kind === 'lead') {
      const body = parsed.html ?? `<pre>${escapeHtml(parsed.text)}</pre>`;
      ({ id: noteId } = insertNote.get(target.activityType, parsed.subject, parsed.fromAddress ?? '', parsed.date ?? at, body, at, target.owner) as { id: number });
    } else {
      placement = threads.place(parsed, message.raw);
      ({ caseId } = placement);
      if (placement.role === 'opened') {
        ({ id: caseId } = insertCase.get(parsed.subject, parsed.fromAddress, parsed.fromName, parsed.date ?? at, at, target.queue) as { id: number });
        if (target.acknowledgeNewCases && parsed.fromAddress !== null) queueAcknowledgement.run(caseId, parsed.fromAddress, at);
      }
    }
    const { id } = insertMessage.get(
      location.inbox, target.kind, location.accountKey, location.mailbox, location.uidValidity, message.uid, parsed.messageId,
      message.rawSha256, message.raw.byteLength, message.raw,
      parsed.subject, parsed.fromAddress, parsed.fromName, parsed.date, JSON.stringify(parsed.fields),
      JSON.stringify(parsed.inReplyTo), JSON.stringify(parsed.references), parsed.parseError, noteId, caseId, at,
      placement?.role ?? null, placement?.matchedBy ?? null, placement?.flagged ? 1 : 0, placement?.automatedBecause ?? null,
    ) as { id: number };
    parsed.attachments.forEach((attachment, position) => {
      insertAttachment.run(id, position, attachment.fileName, attachment.contentType, attachment.size, attachment.sha256);
    });
    return id;
  }

  function outcomeOf(location: MailboxLocation, message: RetrievedMessage, target: MessageTarget, at: string): StoreOutcome {
    const { uid } = message;
    if (selectByUid.get(location.accountKey, location.inbox, location.mailbox, location.uidValidity, uid)) return { uid, kind: 'alreadyStored', by: 'uid' };
    if (selectByContent.get(location.inbox, message.parsed.messageId ?? '', message.rawSha256)) return { uid, kind: 'alreadyStored', by: 'content' };
    if (!message.storeIfNew) return { uid, kind: 'notStored' };
    return { uid, kind: 'stored', id: keep(location, message, target, at) };
  }

  return {
    storedUids: async (location, from, to) =>
      new Set((selectUids.all(location.accountKey, location.inbox, location.mailbox, location.uidValidity, from, to) as Array<{ uid: number }>).map((row) => row.uid)),

    storeBatch: async (location, messages, target, options = {}) => {
      const targets = messages.map((message) => message.target ?? inboxTargetOf(location.inbox, target));
      for (const chosen of targets) {
        if (chosen.kind === 'lead' && !selectType.get(chosen.activityType)) throw new Error(`Unknown activity type “${chosen.activityType}”`);
      }
      const at = now().toISOString();
      // IMMEDIATE: the existence checks and the inserts see one state even when another process
      // stores into the same database at the same time (it waits on busy_timeout). So no insert here can
      // meet the unique keys (UID, content): every copy they would refuse, the checks found first, the
      // batch's own earlier messages included; the batch is never failed by another writer's copy.
      db.exec('BEGIN IMMEDIATE');
      try {
        const outcomes = messages.map((message, index) => outcomeOf(location, message, targets[index] ?? inboxTargetOf(location.inbox, target), at));
        if (options.raiseCounter) {
          const keptUids = outcomes.flatMap((outcome) => (outcome.kind === 'notStored' ? [] : [outcome.uid]));
          if (keptUids.length > 0) counters.raise(location, Math.max(...keptUids));
        }
        db.exec('COMMIT');
        return outcomes;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },

    hasActivityType: async (name) => selectType.get(name) !== undefined,

    list: async ({ inbox, limit = 100 }) =>
      (selectRecords.all(inbox, limit) as Array<Record<string, unknown>>).map((row) => inboxRecordOf(row, selectAttachments.all(Number(row['id'])) as Array<Record<string, unknown>>)),

    caseThread: async (caseId) =>
      (selectThread.all(caseId, maxThreadMessages) as Array<Record<string, unknown>>).map((row) => inboxRecordOf(row, selectAttachments.all(Number(row['id'])) as Array<Record<string, unknown>>)),

    raw: async (id) => (selectRaw.get(id) as { raw: Uint8Array } | undefined)?.raw ?? null,
  };
}

/** The Lead Inbox's or the Service Desk Inbox's own target (an integration source's messages carry theirs). */
export function inboxTargetOf(source: RetrievalSource, target: RecordTarget): MessageTarget {
  return source === 'lead'
    ? { kind: 'lead', activityType: target.leadActivityType, owner: null }
    : { kind: 'serviceDesk', queue: null, acknowledgeNewCases: target.acknowledgeNewCases === true };
}

/** What a record list selects (recordJoins names the tables): the message, its note's type and owner, its case's queue. */
export const recordColumns = 'm.*, t.name AS type_name, n.owner AS note_owner, c.queue AS case_queue';
export const recordJoins = `inbox_messages m
    LEFT JOIN activity_notes n ON n.id = m.activity_note_id LEFT JOIN activity_types t ON t.id = n.type_id
    LEFT JOIN cases c ON c.id = m.case_id`;

/** One inbox_messages row (selected as recordColumns) and its attachment rows, as a record. */
export function inboxRecordOf(row: Record<string, unknown>, attachments: ReadonlyArray<Record<string, unknown>>): InboxRecord {
  const caseId = row['case_id'] === null ? null : Number(row['case_id']);
  return {
    id: Number(row['id']),
    inbox: String(row['target'] ?? row['inbox']) as InboxId,
    source: String(row['inbox']),
    accountKey: String(row['account_key']),
    mailbox: String(row['mailbox']),
    uidValidity: Number(row['uid_validity']),
    uid: Number(row['uid']),
    messageId: (row['message_id'] as string | null) ?? null,
    rawSha256: String(row['raw_sha256']),
    rawSize: Number(row['raw_size']),
    subject: String(row['subject']),
    fromAddress: (row['from_address'] as string | null) ?? null,
    fromName: (row['from_name'] as string | null) ?? null,
    date: (row['sent_at'] as string | null) ?? null,
    fields: JSON.parse(String(row['fields'])) as LeadFields,
    inReplyTo: JSON.parse(String(row['in_reply_to'])) as string[],
    references: JSON.parse(String(row['reference_ids'])) as string[],
    parseError: (row['parse_error'] as string | null) ?? null,
    type: (row['type_name'] as string | null) ?? null,
    owner: (row['note_owner'] as string | null | undefined) ?? null,
    queue: (row['case_queue'] as string | null | undefined) ?? null,
    activityNoteId: row['activity_note_id'] === null ? null : Number(row['activity_note_id']),
    caseId,
    caseReference: caseId === null ? null : caseReference(caseId),
    threadRole: (row['thread_role'] as ThreadRole | null) ?? null,
    matchedBy: (row['matched_by'] as MatchedBy | null) ?? null,
    flagged: row['flagged'] === 1 || row['flagged'] === 1n,
    automatedBecause: (row['automated_because'] as string | null) ?? null,
    retrievedAt: String(row['retrieved_at']),
    attachments: attachments.map((a) => ({
      fileName: String(a['file_name']),
      contentType: String(a['content_type']),
      size: Number(a['size']),
      sha256: String(a['sha256']),
    })),
  };
}
