import type { DatabaseSync } from 'node:sqlite';
import type { InboxQuarantineEntry } from '../../shared/inbox';
import type { InboxId } from '../inbox/inbound-message';
import type { RetrievalSource } from '../inbox/retrieval/retrieval-source';
import type { MailboxLocation } from './inbox-records';

/** Why a message was left on the server rather than kept. */
export type QuarantineReason = InboxQuarantineEntry['reason'];

export type QuarantinedMessage = InboxQuarantineEntry;

/** A message just put in quarantine, from any source (an integration mailbox's too). */
export type HeldMessage = Omit<QuarantinedMessage, 'inbox'> & { readonly inbox: RetrievalSource };

export interface HoldRequest {
  readonly uid: number;
  readonly reason: QuarantineReason;
  readonly size: number | null;
  readonly detail: string | null;
  /** When the next attempt is due, from the attempts so far (the store counts them). */
  readonly retryAfter: (attempts: number) => Date;
}

export interface InboxQuarantine {
  /** The quarantined messages of this mailbox, by UID. */
  held(location: MailboxLocation): Promise<Map<number, QuarantinedMessage>>;
  /** Puts a message in quarantine, or counts one more attempt of one already there. */
  hold(location: MailboxLocation, request: HoldRequest): Promise<HeldMessage>;
  /** The cause went (the message was kept after all): it leaves the quarantine. */
  release(location: MailboxLocation, uids: readonly number[]): Promise<void>;
  /** Forgets this account's entries that are no longer on the server (another UIDVALIDITY, or not listed). */
  keepOnly(location: MailboxLocation, listedUids: ReadonlySet<number>): Promise<void>;
  /** Every quarantined message of an inbox, oldest first. */
  list(inbox: InboxId): Promise<QuarantinedMessage[]>;
}

/** A row of inbox_quarantine as the port returns it (both adapters: the same columns). */
export function quarantinedMessageOf(row: Record<string, unknown>): QuarantinedMessage {
  return {
    inbox: row['inbox'] as InboxId,
    mailbox: String(row['mailbox']),
    uidValidity: Number(row['uid_validity']),
    uid: Number(row['uid']),
    size: row['size'] === null ? null : Number(row['size']),
    reason: row['reason'] as QuarantineReason,
    detail: row['detail'] === null ? null : String(row['detail']),
    attempts: Number(row['attempts']),
    firstSeenAt: String(row['first_seen_at']),
    lastAttemptAt: String(row['last_attempt_at']),
    nextRetryAt: String(row['next_retry_at']),
  };
}

const columns = 'inbox, mailbox, uid_validity, uid, size, reason, detail, attempts, first_seen_at, last_attempt_at, next_retry_at';

export function inboxQuarantineOn(db: DatabaseSync, now: () => Date): InboxQuarantine {
  const selectHeld = db.prepare(`SELECT ${columns} FROM inbox_quarantine WHERE account_key = ? AND inbox = ? AND mailbox = ? AND uid_validity = ?`);
  const selectOne = db.prepare(`SELECT ${columns} FROM inbox_quarantine WHERE account_key = ? AND inbox = ? AND mailbox = ? AND uid_validity = ? AND uid = ?`);
  const upsert = db.prepare(`
    INSERT INTO inbox_quarantine (inbox, account_key, mailbox, uid_validity, uid, size, reason, detail, attempts, first_seen_at, last_attempt_at, next_retry_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_key, inbox, mailbox, uid_validity, uid) DO UPDATE SET
      size = excluded.size, reason = excluded.reason, detail = excluded.detail, attempts = excluded.attempts,
      last_attempt_at = excluded.last_attempt_at, next_retry_at = excluded.next_retry_at`);
  const deleteOne = db.prepare('DELETE FROM inbox_quarantine WHERE account_key = ? AND inbox = ? AND mailbox = ? AND uid_validity = ? AND uid = ?');
  const selectAccount = db.prepare('SELECT id, mailbox, uid_validity, uid FROM inbox_quarantine WHERE account_key = ? AND inbox = ?');
  const deleteById = db.prepare('DELETE FROM inbox_quarantine WHERE id = ?');
  const selectInbox = db.prepare(`SELECT ${columns} FROM inbox_quarantine WHERE inbox = ? ORDER BY first_seen_at, uid`);
  const key = (location: MailboxLocation) => [location.accountKey, location.inbox, location.mailbox, location.uidValidity] as const;

  return {
    held: async (location) => new Map((selectHeld.all(...key(location)) as Array<Record<string, unknown>>).map((row) => [Number(row['uid']), quarantinedMessageOf(row)])),
    hold: async (location, request) => {
      const before = selectOne.get(...key(location), request.uid) as Record<string, unknown> | undefined;
      const attempts = (before ? Number(before['attempts']) : 0) + 1;
      const at = now().toISOString();
      const firstSeenAt = before ? String(before['first_seen_at']) : at;
      const nextRetryAt = request.retryAfter(attempts).toISOString();
      upsert.run(location.inbox, location.accountKey, location.mailbox, location.uidValidity, request.uid, request.size, request.reason, request.detail, attempts, firstSeenAt, at, nextRetryAt);
      return { inbox: location.inbox, mailbox: location.mailbox, uidValidity: location.uidValidity, uid: request.uid, size: request.size, reason: request.reason, detail: request.detail, attempts, firstSeenAt, lastAttemptAt: at, nextRetryAt };
    },
    release: async (location, uids) => {
      for (const uid of uids) deleteOne.run(...key(location), uid);
    },
    keepOnly: async (location, listedUids) => {
      for (const row of selectAccount.all(location.accountKey, location.inbox) as Array<Record<string, unknown>>) {
        // Only this mailbox's entries are checked against the listing; another folder's wait for its own run.
        if (row['mailbox'] !== location.mailbox) continue;
        if (Number(row['uid_validity']) !== location.uidValidity || !listedUids.has(Number(row['uid']))) deleteById.run(Number(row['id']));
      }
    },
    list: async (inbox) => (selectInbox.all(inbox) as Array<Record<string, unknown>>).map(quarantinedMessageOf),
  };
}
