import type { DatabaseSync } from 'node:sqlite';
import type { InboxId } from '../../shared/inbox';
import type { MailboxLocation } from './inbox-records';

/**
 * The mailbox counter of "Leave messages on the server": per inbox, the highest UID already kept from
 * its mailbox. It holds for one account, mailbox and UIDVALIDITY only: after a UIDVALIDITY change every
 * UID is new (RFC 3501 2.3.1.1), so the whole mailbox is read again and the records' Message-ID + sha256
 * check keeps what they already have from being doubled.
 */
export interface MailboxCounters {
  /** The highest UID kept from this very mailbox and UIDVALIDITY, or null (none, reset, or another one). */
  highestUid(location: MailboxLocation): Promise<number | null>;
  /** Moves the counter up to `uid` (never down), for this mailbox and UIDVALIDITY. */
  raise(location: MailboxLocation, uid: number): Promise<void>;
  /** Sets the counter: "Only mail arriving from now on" (UIDNEXT - 1). */
  set(location: MailboxLocation, uid: number): Promise<void>;
  /** "Reset mailbox counter": the next run reads the whole mailbox again. Whether there was one. */
  reset(inbox: InboxId): Promise<boolean>;
  /** Whether the inbox has a counter at all (for any mailbox). */
  has(inbox: InboxId): Promise<boolean>;
}

/** The same counters, done at once on the database: for a transaction already open (InboxRecords.storeBatch). */
export interface MailboxCounterStatements {
  highestUid(location: MailboxLocation): number | null;
  raise(location: MailboxLocation, uid: number): void;
  set(location: MailboxLocation, uid: number): void;
  reset(inbox: InboxId): boolean;
  has(inbox: InboxId): boolean;
}

export function mailboxCounterStatementsOn(db: DatabaseSync, now: () => Date): MailboxCounterStatements {
  const select = db.prepare('SELECT account_key, mailbox, uid_validity, highest_uid FROM mailbox_counters WHERE inbox = ?');
  const upsert = db.prepare(`
    INSERT INTO mailbox_counters (inbox, account_key, mailbox, uid_validity, highest_uid, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (inbox) DO UPDATE SET account_key = excluded.account_key, mailbox = excluded.mailbox, uid_validity = excluded.uid_validity,
      highest_uid = excluded.highest_uid, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM mailbox_counters WHERE inbox = ?');

  const highestUid = (location: MailboxLocation): number | null => {
    const row = select.get(location.inbox) as { account_key: string; mailbox: string; uid_validity: number; highest_uid: number } | undefined;
    if (!row || row.account_key !== location.accountKey || row.mailbox !== location.mailbox || Number(row.uid_validity) !== location.uidValidity) return null;
    return Number(row.highest_uid);
  };
  const set = (location: MailboxLocation, uid: number): void => {
    upsert.run(location.inbox, location.accountKey, location.mailbox, location.uidValidity, uid, now().toISOString());
  };
  return {
    highestUid,
    raise: (location, uid) => {
      if (uid > (highestUid(location) ?? 0)) set(location, uid);
    },
    set,
    reset: (inbox) => Number(remove.run(inbox).changes) > 0,
    has: (inbox) => select.get(inbox) !== undefined,
  };
}

export function mailboxCountersOn(db: DatabaseSync, now: () => Date): MailboxCounters {
  const counters = mailboxCounterStatementsOn(db, now);
  return {
    highestUid: async (location) => counters.highestUid(location),
    raise: async (location, uid) => counters.raise(location, uid),
    set: async (location, uid) => counters.set(location, uid),
    reset: async (inbox) => counters.reset(inbox),
    has: async (inbox) => counters.has(inbox),
  };
}
