import { lastHolderOfRow, leaseOf, type MailboxLeases } from '../mailbox-leases';
import type { PostgresDb } from './postgres-db';

/** timestamptz comes back as a Date (node-postgres); the leases show ISO 8601, as SQLite's do. */
const isoOf = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();

/** `ttlMs` from the database's now(), as an interval. */
const expiry = "now() + $2::double precision * interval '1 millisecond'";

/**
 * The mailbox leases (mailbox-leases.ts) in the shared database. Every time is the database's own clock
 * (now()): the installations' machines each have a clock of their own, and they differ. Each operation
 * is one statement, so atomic: `take` inserts, or takes over a lease that has expired or is already the
 * same holder's; a live lease of another holder is left as it is, and read back to name that holder.
 */
export function postgresMailboxLeasesOn(db: PostgresDb): MailboxLeases {
  return {
    take: async (mailboxKey, holder, ttlMs) => {
      // Held by someone else: read back in a statement of its own, so it may have been released or have
      // expired in between; then taking it again succeeds.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        // The lease and its last holder in one statement: whoever takes the lease is remembered with it.
        const [taken] = await db.query(
          `WITH taken AS (
             INSERT INTO mailbox_leases AS l (mailbox_key, holder, host, pid, taken_at, expires_at)
             VALUES ($1, $3, $4, $5, now(), ${expiry})
             ON CONFLICT (mailbox_key) DO UPDATE SET holder = EXCLUDED.holder, host = EXCLUDED.host, pid = EXCLUDED.pid,
               taken_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.taken_at ELSE EXCLUDED.taken_at END,
               expires_at = EXCLUDED.expires_at
             WHERE l.expires_at <= now() OR l.holder = EXCLUDED.holder
             RETURNING *
           ), remembered AS (
             INSERT INTO mailbox_last_holders (mailbox_key, holder, name, taken_at)
             SELECT mailbox_key, holder, $6, to_char(taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM taken
             ON CONFLICT (mailbox_key) DO UPDATE SET holder = EXCLUDED.holder, name = EXCLUDED.name, taken_at = EXCLUDED.taken_at
           )
           SELECT * FROM taken`,
          [mailboxKey, ttlMs, holder.id, holder.host, holder.pid, holder.name ?? holder.host],
        );
        if (taken) return { taken: true, lease: leaseOf(taken, isoOf) };
        const [current] = await db.query('SELECT * FROM mailbox_leases WHERE mailbox_key = $1 AND expires_at > now()', [mailboxKey]);
        if (current) return { taken: false, heldBy: leaseOf(current, isoOf) };
      }
      throw new Error(`The lease of ${mailboxKey} changed hands at every attempt to take it`);
    },
    renew: async (lease, ttlMs) =>
      (await db.query(`UPDATE mailbox_leases SET expires_at = ${expiry} WHERE mailbox_key = $1 AND holder = $3 RETURNING 1`, [lease.mailboxKey, ttlMs, lease.holder.id])).length > 0,
    release: async (lease) => {
      await db.query('DELETE FROM mailbox_leases WHERE mailbox_key = $1 AND holder = $2', [lease.mailboxKey, lease.holder.id]);
    },
    holderOf: async (mailboxKey) => {
      const [row] = await db.query('SELECT * FROM mailbox_leases WHERE mailbox_key = $1 AND expires_at > now()', [mailboxKey]);
      return row ? leaseOf(row, isoOf) : null;
    },
    lastHolderOf: async (mailboxKey) => {
      const [row] = await db.query('SELECT * FROM mailbox_last_holders WHERE mailbox_key = $1', [mailboxKey]);
      return row ? lastHolderOfRow(row) : null;
    },
  };
}
