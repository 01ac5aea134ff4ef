import type { DatabaseSync } from 'node:sqlite';

/**
 * One retriever per mailbox across machines: a lease in the records database that every installation
 * sharing it sees. It is taken atomically, renewed while a run lasts, and may be taken over once it has
 * expired unrenewed (its holder died, or lost the database). A lock file in a data directory cannot do
 * this: two machines on one shared database do not share a data directory.
 */

/** Who takes a lease: one run, on one machine. */
export interface LeaseHolder {
  /** Random per run: a renewal or release never touches a lease another run took over. */
  readonly id: string;
  /** The machine's host name, so that the others can say which installation empties the mailbox. */
  readonly host: string;
  readonly pid: number;
  /** The installation as people call it (host and data directory), kept as the mailbox's last holder; the host when absent. */
  readonly name?: string;
}

export interface MailboxLease {
  /** The mailbox's identity (account + folder), whatever the installations call the inbox. */
  readonly mailboxKey: string;
  readonly holder: LeaseHolder;
  /** When this holder took it (ISO 8601); renewals keep it. */
  readonly takenAt: string;
  /** When another holder may take it over unless it is renewed first (ISO 8601). */
  readonly expiresAt: string;
}

export type LeaseAttempt =
  | { readonly taken: true; readonly lease: MailboxLease }
  /** Someone else holds it and it has not expired. */
  | { readonly taken: false; readonly heldBy: MailboxLease };

export interface MailboxLeases {
  /** The lease for `ttlMs`: free, expired or already this holder's; otherwise who holds it. One atomic step. */
  take(mailboxKey: string, holder: LeaseHolder, ttlMs: number): Promise<LeaseAttempt>;
  /** Extends one's own lease by `ttlMs` from now; false once someone else took it over (or it was released). */
  renew(lease: MailboxLease, ttlMs: number): Promise<boolean>;
  /** Gives up one's own lease; a lease someone else took over is left alone. */
  release(lease: MailboxLease): Promise<void>;
  /** Who holds the mailbox's lease now, or null when nobody does (never taken, released or expired). */
  holderOf(mailboxKey: string): Promise<MailboxLease | null>;
  /** Who took the mailbox's lease last, kept after it is released or expires: which installation empties it. */
  lastHolderOf(mailboxKey: string): Promise<LastLeaseHolder | null>;
}

export interface LastLeaseHolder {
  /** The holder's id: its installation's id, a space, its run's. */
  readonly holderId: string;
  readonly name: string;
  readonly takenAt: string;
}

export function lastHolderOfRow(row: Record<string, unknown>): LastLeaseHolder {
  return { holderId: String(row['holder']), name: String(row['name']), takenAt: String(row['taken_at']) };
}

/** A mailbox_leases row (either adapter) as a lease; `timeOf` gives its times as ISO 8601. */
export function leaseOf(row: Record<string, unknown>, timeOf: (value: unknown) => string = String): MailboxLease {
  return {
    mailboxKey: String(row['mailbox_key']),
    holder: { id: String(row['holder']), host: String(row['host']), pid: Number(row['pid']) },
    takenAt: timeOf(row['taken_at']),
    expiresAt: timeOf(row['expires_at']),
  };
}

/**
 * The leases in the embedded SQLite store. Its installations are on one machine (one data directory), so
 * the store's clock is every holder's clock. BEGIN IMMEDIATE makes the read and the write of `take` one
 * writer's step across the processes that open the file.
 */
export function mailboxLeasesOn(db: DatabaseSync, now: () => Date): MailboxLeases {
  const select = db.prepare('SELECT * FROM mailbox_leases WHERE mailbox_key = ?');
  const upsert = db.prepare(`
    INSERT INTO mailbox_leases (mailbox_key, holder, host, pid, taken_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (mailbox_key) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
      taken_at = CASE WHEN mailbox_leases.holder = excluded.holder THEN mailbox_leases.taken_at ELSE excluded.taken_at END,
      expires_at = excluded.expires_at
    RETURNING *`);
  const remember = db.prepare(`
    INSERT INTO mailbox_last_holders (mailbox_key, holder, name, taken_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (mailbox_key) DO UPDATE SET holder = excluded.holder, name = excluded.name, taken_at = excluded.taken_at`);
  const selectLast = db.prepare('SELECT * FROM mailbox_last_holders WHERE mailbox_key = ?');
  const extend = db.prepare('UPDATE mailbox_leases SET expires_at = ? WHERE mailbox_key = ? AND holder = ?');
  const remove = db.prepare('DELETE FROM mailbox_leases WHERE mailbox_key = ? AND holder = ?');
  const selectLive = db.prepare('SELECT * FROM mailbox_leases WHERE mailbox_key = ? AND expires_at > ?');
  const expiryAfter = (at: Date, ttlMs: number): string => new Date(at.getTime() + ttlMs).toISOString();

  return {
    take: async (mailboxKey, holder, ttlMs) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const at = now();
        const current = select.get(mailboxKey) as Record<string, unknown> | undefined;
        // ISO 8601 strings of one format compare as their times do.
        if (current && current['holder'] !== holder.id && String(current['expires_at']) > at.toISOString()) {
          db.exec('COMMIT');
          return { taken: false, heldBy: leaseOf(current) };
        }
        const row = upsert.get(mailboxKey, holder.id, holder.host, holder.pid, at.toISOString(), expiryAfter(at, ttlMs)) as Record<string, unknown>;
        remember.run(mailboxKey, holder.id, holder.name ?? holder.host, String(row['taken_at']));
        db.exec('COMMIT');
        return { taken: true, lease: leaseOf(row) };
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    renew: async (lease, ttlMs) => Number(extend.run(expiryAfter(now(), ttlMs), lease.mailboxKey, lease.holder.id).changes) > 0,
    release: async (lease) => {
      remove.run(lease.mailboxKey, lease.holder.id);
    },
    holderOf: async (mailboxKey) => {
      const row = selectLive.get(mailboxKey, now().toISOString()) as Record<string, unknown> | undefined;
      return row ? leaseOf(row) : null;
    },
    lastHolderOf: async (mailboxKey) => {
      const row = selectLast.get(mailboxKey) as Record<string, unknown> | undefined;
      return row ? lastHolderOfRow(row) : null;
    },
  };
}
