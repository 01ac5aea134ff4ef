import { acknowledgementIntervalMs, dueAcknowledgementOf, type AcknowledgementClaim, type CaseAcknowledgementRecords } from '../case-acknowledgement-records';
import type { PostgresDb } from './postgres-db';

export function postgresCaseAcknowledgementRecordsOn(db: PostgresDb, now: () => Date): CaseAcknowledgementRecords {
  const mark = 'UPDATE case_acknowledgements SET state = $1, reason = $2, done_at = $3 WHERE id = $4';

  return {
    due: async () =>
      (await db.query<Record<string, unknown>>(`
        SELECT a.id, a.case_id, a.recipient, c.subject,
          (SELECT m.message_id FROM inbox_messages m WHERE m.case_id = a.case_id AND m.thread_role = 'opened' LIMIT 1) AS opening_message_id
        FROM case_acknowledgements a JOIN cases c ON c.id = a.case_id WHERE a.state = 'due' ORDER BY a.id`)).map(dueAcknowledgementOf),

    claim: async (id, ownAddresses) => {
      const at = now();
      return db.transaction<AcknowledgementClaim>(async (tx) => {
        // The row lock makes a second claimer (another process, another machine) wait, then find it handled.
        const [row] = await tx.query<{ recipient: string }>("SELECT recipient FROM case_acknowledgements WHERE id = $1 AND state = 'due' FOR UPDATE", [id]);
        if (!row) return { send: false, reason: 'already handled' };
        // Two claims for different cases of one sender are serialised on the sender (a lock held until the
        // commit), so that the second sees the first one sent and the hourly limit holds across machines.
        await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`case-acknowledgement:${row.recipient}`]);
        let claim: AcknowledgementClaim;
        if (ownAddresses.some((address) => address.toLowerCase() === row.recipient.toLowerCase())) claim = { send: false, reason: 'our own address' };
        else if ((await tx.query("SELECT 1 FROM case_acknowledgements WHERE recipient = $1 AND state = 'sent' AND done_at > $2 LIMIT 1", [row.recipient, new Date(at.getTime() - acknowledgementIntervalMs).toISOString()])).length > 0) {
          claim = { send: false, reason: 'one was sent to this sender within the hour' };
        } else claim = { send: true };
        await tx.query(mark, [claim.send ? 'sent' : 'skipped', claim.send ? null : claim.reason, at.toISOString(), id]);
        return claim;
      });
    },

    sent: async (id, messageId) => {
      await db.query('UPDATE case_acknowledgements SET message_id = $1 WHERE id = $2', [messageId, id]);
    },

    failed: async (id, reason) => {
      await db.query(mark, ['failed', reason, now().toISOString(), id]);
    },
  };
}
