import { quarantinedMessageOf, type InboxQuarantine } from '../inbox-quarantine';
import type { MailboxLocation } from '../inbox-records';
import type { PostgresDb } from './postgres-db';

const columns = 'inbox, mailbox, uid_validity, uid, size, reason, detail, attempts, first_seen_at, last_attempt_at, next_retry_at';
const ofLocation = 'account_key = $1 AND inbox = $2 AND mailbox = $3 AND uid_validity = $4';
const keyOf = (location: MailboxLocation) => [location.accountKey, location.inbox, location.mailbox, location.uidValidity] as const;


/** The quarantine (inbox-quarantine.ts) on PostgreSQL. */
export function postgresInboxQuarantineOn(db: PostgresDb, now: () => Date): InboxQuarantine {
  return {
    held: async (location) =>
      new Map((await db.query(`SELECT ${columns} FROM inbox_quarantine WHERE ${ofLocation}`, keyOf(location))).map((row) => [Number(row['uid']), quarantinedMessageOf(row)])),

    // The attempt is counted by the upsert itself (one row lock), so two processes holding the same
    // message at once count two attempts; the next retry follows from the count, in the same transaction.
    hold: (location, request) =>
      db.transaction(async (tx) => {
        const at = now().toISOString();
        const [counted] = await tx.query<{ attempts: number; first_seen_at: string }>(
          `INSERT INTO inbox_quarantine (account_key, inbox, mailbox, uid_validity, uid, size, reason, detail, attempts, first_seen_at, last_attempt_at, next_retry_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $9)
           ON CONFLICT (account_key, inbox, mailbox, uid_validity, uid) DO UPDATE SET
             size = excluded.size, reason = excluded.reason, detail = excluded.detail, attempts = inbox_quarantine.attempts + 1,
             last_attempt_at = excluded.last_attempt_at
           RETURNING attempts, first_seen_at`,
          [...keyOf(location), request.uid, request.size, request.reason, request.detail, at],
        );
        const attempts = Number(counted?.attempts ?? 1);
        const firstSeenAt = counted?.first_seen_at ?? at;
        const nextRetryAt = request.retryAfter(attempts).toISOString();
        await tx.query(`UPDATE inbox_quarantine SET next_retry_at = $6 WHERE ${ofLocation} AND uid = $5`, [...keyOf(location), request.uid, nextRetryAt]);
        return { inbox: location.inbox, mailbox: location.mailbox, uidValidity: location.uidValidity, uid: request.uid, size: request.size, reason: request.reason, detail: request.detail, attempts, firstSeenAt, lastAttemptAt: at, nextRetryAt };
      }),

    release: async (location, uids) => {
      if (uids.length > 0) await db.query(`DELETE FROM inbox_quarantine WHERE ${ofLocation} AND uid = ANY($5::bigint[])`, [...keyOf(location), [...uids]]);
    },

    // Only this mailbox's entries are checked against the listing; another folder's wait for its own run.
    keepOnly: async (location, listedUids) => {
      await db.query(
        'DELETE FROM inbox_quarantine WHERE account_key = $1 AND inbox = $2 AND mailbox = $3 AND (uid_validity <> $4 OR NOT (uid = ANY($5::bigint[])))',
        [...keyOf(location), [...listedUids]],
      );
    },

    // COLLATE "C": the timestamps in byte order, as SQLite compares text, whatever the database's locale.
    list: async (inbox) => (await db.query(`SELECT ${columns} FROM inbox_quarantine WHERE inbox = $1 ORDER BY first_seen_at COLLATE "C", uid`, [inbox])).map(quarantinedMessageOf),
  };
}
