import type { InboxId } from '../../inbox/inbound-message';
import type { MailboxLocation } from '../inbox-records';
import type { MailboxCounters } from '../mailbox-counters';
import type { PostgresDb, PostgresTx } from './postgres-db';

/** The mailbox counters (mailbox-counters.ts) on PostgreSQL. */
export function postgresMailboxCountersOn(db: PostgresDb, now: () => Date): MailboxCounters {
  return {
    highestUid: (location) => highestUidOn(db, location),
    raise: (location, uid) => raiseCounterOn(db, location, uid, now().toISOString()),
    set: async (location, uid) => {
      await db.query(upsert, [location.inbox, location.accountKey, location.mailbox, location.uidValidity, uid, now().toISOString()]);
    },
    reset: async (inbox: InboxId) => (await db.query('DELETE FROM mailbox_counters WHERE inbox = $1 RETURNING inbox', [inbox])).length > 0,
    has: async (inbox: InboxId) => (await db.query('SELECT 1 FROM mailbox_counters WHERE inbox = $1', [inbox])).length > 0,
  };
}

const upsert = `
  INSERT INTO mailbox_counters (inbox, account_key, mailbox, uid_validity, highest_uid, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (inbox) DO UPDATE SET account_key = excluded.account_key, mailbox = excluded.mailbox, uid_validity = excluded.uid_validity,
    highest_uid = excluded.highest_uid, updated_at = excluded.updated_at`;

async function highestUidOn(tx: PostgresTx, location: MailboxLocation): Promise<number | null> {
  const [row] = await tx.query<{ account_key: string; mailbox: string; uid_validity: string; highest_uid: string }>(
    'SELECT account_key, mailbox, uid_validity, highest_uid FROM mailbox_counters WHERE inbox = $1',
    [location.inbox],
  );
  if (!row || row.account_key !== location.accountKey || row.mailbox !== location.mailbox || Number(row.uid_validity) !== location.uidValidity) return null;
  return Number(row.highest_uid);
}

/**
 * Moves the counter up to `uid`, never down; a counter of another mailbox or UIDVALIDITY counts as none
 * and is replaced. One statement, so that two processes raising it at once keep the higher UID.
 */
export async function raiseCounterOn(tx: PostgresTx, location: MailboxLocation, uid: number, at: string): Promise<void> {
  if (uid <= 0) return;
  await tx.query(
    `${upsert}
     WHERE (mailbox_counters.account_key, mailbox_counters.mailbox, mailbox_counters.uid_validity)
             IS DISTINCT FROM (excluded.account_key, excluded.mailbox, excluded.uid_validity)
        OR mailbox_counters.highest_uid < excluded.highest_uid`,
    [location.inbox, location.accountKey, location.mailbox, location.uidValidity, uid, at],
  );
}
