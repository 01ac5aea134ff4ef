import { DatabaseError } from 'pg';
import type { CasePlacement } from '../case-threads';
import {
  escapeHtml,
  inboxTargetOf,
  maxThreadMessages,
  recordJoins,
  type InboxRecords,
  type MailboxLocation,
  type MessageTarget,
  type RetrievedMessage,
  type StoreOutcome,
} from '../inbox-records';
import { placeCaseOn } from './postgres-case-threads';
import type { PostgresDb, PostgresTx } from './postgres-db';
import { bytesOf, inboxRecordsOf, recordColumnsWithoutRaw } from './postgres-inbox-rows';
import { raiseCounterOn } from './postgres-mailbox-counters';

/**
 * A message's identity by content: Message-ID (or none: '', which no Message-ID is) and the sha256 of its
 * bytes, as the unique key inbox_messages_content_key has it (migration 10).
 */
const contentKey = (messageId: string | null, rawSha256: string): string => JSON.stringify([messageId ?? '', rawSha256]);

/** How many times a batch is checked and stored again after another writer's copy met a unique key. */
const maxBatchAttempts = 3;

/**
 * 23505 unique_violation on inbox_messages (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * its UID key or its content key refused a copy that another writer committed after this batch's check.
 */
function isCopyRefused(error: unknown): boolean {
  return error instanceof DatabaseError && error.code === '23505' && error.table === 'inbox_messages';
}

/** The messages (of this batch) this source already keeps, by UID here and by content; the batch adds to them. */
interface KeptBefore {
  readonly uids: Set<number>;
  readonly contents: Set<string>;
}

/**
 * The inbox records (inbox-records.ts) on PostgreSQL, shared by several installations. A batch takes a
 * transaction-scoped advisory lock on its source first: SQLite's BEGIN IMMEDIATE made every check and
 * insert of a batch one writer's, and this makes them one writer's per source across machines, so two
 * processes storing the same messages at once keep each once (the second sees the first's commit).
 */
export function postgresInboxRecordsOn(db: PostgresDb, now: () => Date): InboxRecords {
  const hasActivityType = async (tx: PostgresTx, name: string): Promise<boolean> =>
    (await tx.query('SELECT 1 FROM activity_types WHERE name = $1', [name])).length > 0;

  async function keptBefore(tx: PostgresTx, location: MailboxLocation, messages: readonly RetrievedMessage[]): Promise<KeptBefore> {
    const byUid = await tx.query<{ uid: string }>(
      'SELECT uid FROM inbox_messages WHERE account_key = $1 AND inbox = $2 AND mailbox = $3 AND uid_validity = $4 AND uid = ANY($5::bigint[])',
      [location.accountKey, location.inbox, location.mailbox, location.uidValidity, messages.map((message) => message.uid)],
    );
    // Pairs looked up on the content key's own index.
    const byContent = await tx.query<{ message_id: string; raw_sha256: string }>(
      `SELECT k.message_id, k.raw_sha256 FROM unnest($2::text[], $3::text[]) AS k(message_id, raw_sha256)
       WHERE EXISTS (SELECT 1 FROM inbox_messages m
         WHERE m.inbox = $1 AND COALESCE(m.message_id, '') = k.message_id AND m.raw_sha256 = k.raw_sha256)`,
      [location.inbox, messages.map((message) => message.parsed.messageId ?? ''), messages.map((message) => message.rawSha256)],
    );
    return {
      uids: new Set(byUid.map((row) => Number(row.uid))),
      contents: new Set(byContent.map((row) => contentKey(row.message_id, row.raw_sha256))),
    };
  }

  async function keep(tx: PostgresTx, location: MailboxLocation, message: RetrievedMessage, target: MessageTarget, at: string): Promise<number> {
    const { parsed } = message;
    let noteId: number | null = null;
    let caseId: number | null = null;
    let placement: CasePlacement | null = null;
    if (target.kind === 'lead') {
      const body = parsed.html ?? `<pre>${escapeHtml(parsed.text)}</pre>`;
      const [note] = await tx.query<{ id: string }>(
        `INSERT INTO activity_notes (type_id, subject, from_address, to_addresses, occurred_at, body_html, raw_message, created_at, owner)
         VALUES ((SELECT id FROM activity_types WHERE name = $1), $2, $3, '[]', $4, $5, NULL, $6, $7) RETURNING id`,
        [target.activityType, parsed.subject, parsed.fromAddress ?? '', parsed.date ?? at, body, at, target.owner],
      );
      noteId = Number(note?.id);
    } else {
      placement = await placeCaseOn(tx, parsed, message.raw);
      ({ caseId } = placement);
      if (placement.role === 'opened') {
        const [opened] = await tx.query<{ id: string }>(
          'INSERT INTO cases (subject, from_address, from_name, opened_at, created_at, queue) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [parsed.subject, parsed.fromAddress, parsed.fromName, parsed.date ?? at, at, target.queue],
        );
        caseId = Number(opened?.id);
        if (target.acknowledgeNewCases && parsed.fromAddress !== null) {
          await tx.query("INSERT INTO case_acknowledgements (case_id, recipient, state, queued_at) VALUES ($1, $2, 'due', $3)", [caseId, parsed.fromAddress, at]);
        }
      }
    }
    const [stored] = await tx.query<{ id: string }>(
      `INSERT INTO inbox_messages (inbox, target, account_key, mailbox, uid_validity, uid, message_id, raw_sha256, raw_size, raw,
         subject, from_address, from_name, sent_at, fields, in_reply_to, reference_ids, parse_error, activity_note_id, case_id, retrieved_at,
         thread_role, matched_by, flagged, automated_because)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) RETURNING id`,
      [
        location.inbox, target.kind, location.accountKey, location.mailbox, location.uidValidity, message.uid, parsed.messageId,
        message.rawSha256, message.raw.byteLength, message.raw,
        parsed.subject, parsed.fromAddress, parsed.fromName, parsed.date, JSON.stringify(parsed.fields),
        JSON.stringify(parsed.inReplyTo), JSON.stringify(parsed.references), parsed.parseError, noteId, caseId, at,
        placement?.role ?? null, placement?.matchedBy ?? null, placement?.flagged ? 1 : 0, placement?.automatedBecause ?? null,
      ],
    );
    const id = Number(stored?.id);
    if (parsed.attachments.length > 0) {
      await tx.query(
        `INSERT INTO inbox_attachments (inbox_message_id, position, file_name, content_type, size, sha256)
         SELECT $1, position - 1, file_name, content_type, size, sha256
         FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY AS a(file_name, content_type, size, sha256, position)`,
        [
          id,
          parsed.attachments.map((a) => a.fileName),
          parsed.attachments.map((a) => a.contentType),
          parsed.attachments.map((a) => a.size),
          parsed.attachments.map((a) => a.sha256),
        ],
      );
    }
    return id;
  }

  async function outcomeOf(tx: PostgresTx, location: MailboxLocation, message: RetrievedMessage, target: MessageTarget, at: string, kept: KeptBefore): Promise<StoreOutcome> {
    const { uid } = message;
    const content = contentKey(message.parsed.messageId, message.rawSha256);
    if (kept.uids.has(uid)) return { uid, kind: 'alreadyStored', by: 'uid' };
    if (kept.contents.has(content)) return { uid, kind: 'alreadyStored', by: 'content' };
    if (!message.storeIfNew) return { uid, kind: 'notStored' };
    const id = await keep(tx, location, message, target, at);
    kept.uids.add(uid);
    kept.contents.add(content);
    return { uid, kind: 'stored', id };
  }

  return {
    storedUids: async (location, from, to) =>
      new Set(
        (
          await db.query<{ uid: string }>(
            'SELECT uid FROM inbox_messages WHERE account_key = $1 AND inbox = $2 AND mailbox = $3 AND uid_validity = $4 AND uid BETWEEN $5 AND $6',
            [location.accountKey, location.inbox, location.mailbox, location.uidValidity, from, to],
          )
        ).map((row) => Number(row.uid)),
      ),

    storeBatch: async (location, messages, target, options = {}) => {
      const targets = messages.map((message) => message.target ?? inboxTargetOf(location.inbox, target));
      const knownTypes = new Set<string>();
      for (const chosen of targets) {
        if (chosen.kind !== 'lead' || knownTypes.has(chosen.activityType)) continue;
        if (!(await hasActivityType(db, chosen.activityType))) throw new Error(`Unknown activity type “${chosen.activityType}”`);
        knownTypes.add(chosen.activityType);
      }
      const at = now().toISOString();
      const storeOnce = async (tx: PostgresTx): Promise<StoreOutcome[]> => {
        const kept = await keptBefore(tx, location, messages);
        const outcomes: StoreOutcome[] = [];
        for (const [index, message] of messages.entries()) {
          outcomes.push(await outcomeOf(tx, location, message, targets[index] ?? inboxTargetOf(location.inbox, target), at, kept));
        }
        if (options.raiseCounter) {
          const keptUids = outcomes.flatMap((outcome) => (outcome.kind === 'notStored' ? [] : [outcome.uid]));
          if (keptUids.length > 0) await raiseCounterOn(tx, location, Math.max(...keptUids), now().toISOString());
        }
        return outcomes;
      };
      return db.transaction(async (tx) => {
        // Held until COMMIT or ROLLBACK; another batch of this source waits here, then sees what this one kept.
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`inbox_messages ${location.inbox}`]);
        // A writer that does not take the lock (a copy into the shared database, another version) can still
        // commit a message between the check and the insert: its unique key refuses this copy, and the batch
        // starts over from the savepoint, where the check now finds it kept ("alreadyStored"), instead of failing.
        for (let attempt = 1; ; attempt += 1) {
          await tx.query('SAVEPOINT store_batch');
          try {
            const outcomes = await storeOnce(tx);
            await tx.query('RELEASE SAVEPOINT store_batch');
            return outcomes;
          } catch (error) {
            if (attempt >= maxBatchAttempts || !isCopyRefused(error)) throw error;
            await tx.query('ROLLBACK TO SAVEPOINT store_batch');
          }
        }
      });
    },

    hasActivityType: (name) => hasActivityType(db, name),

    list: async ({ inbox, limit = 100 }) =>
      inboxRecordsOf(db, await db.query(`SELECT ${recordColumnsWithoutRaw} FROM ${recordJoins} WHERE m.target = $1 ORDER BY m.id DESC LIMIT $2`, [inbox, limit])),

    caseThread: async (caseId) =>
      inboxRecordsOf(db, await db.query(`SELECT ${recordColumnsWithoutRaw} FROM ${recordJoins} WHERE m.case_id = $1 ORDER BY m.id LIMIT $2`, [caseId, maxThreadMessages])),

    raw: async (id) => {
      const [row] = await db.query<{ raw: Buffer }>('SELECT raw FROM inbox_messages WHERE id = $1', [id]);
      return row ? bytesOf(row.raw) : null;
    },
  };
}
