import type { DatabaseSync } from 'node:sqlite';

/** An acknowledgement queued with a new case, waiting to be sent after the case was committed. */
export interface DueAcknowledgement {
  readonly id: number;
  readonly caseId: number;
  readonly recipient: string;
  readonly caseSubject: string;
  /** The Message-ID of the message that opened the case: the acknowledgement answers it (In-Reply-To). */
  readonly openingMessageId: string | null;
}

export type AcknowledgementClaim = { readonly send: true } | { readonly send: false; readonly reason: string };

/** At most one acknowledgement per sender per hour: a second case (or a loop) within the hour gets none. */
export const acknowledgementIntervalMs = 60 * 60 * 1000;

/** A due acknowledgement's row (id, case_id, recipient, the case's subject, its opening Message-ID), in both adapters. */
export function dueAcknowledgementOf(row: Record<string, unknown>): DueAcknowledgement {
  return {
    id: Number(row['id']),
    caseId: Number(row['case_id']),
    recipient: String(row['recipient']),
    caseSubject: String(row['subject']),
    openingMessageId: (row['opening_message_id'] as string | null) ?? null,
  };
}

export interface CaseAcknowledgementRecords {
  due(): Promise<DueAcknowledgement[]>;
  /**
   * Takes one due acknowledgement for sending, in one transaction: it is marked sent (so that no other run
   * sends it too, and so that it counts for the hourly limit), or skipped with the reason when one already
   * went to this sender within the hour or the sender is one of our own addresses (a mail loop).
   */
  claim(id: number, ownAddresses: readonly string[]): Promise<AcknowledgementClaim>;
  /** What the server accepted: the Message-ID a reply to the acknowledgement will carry. */
  sent(id: number, messageId: string | null): Promise<void>;
  failed(id: number, reason: string): Promise<void>;
}

export function caseAcknowledgementRecordsOn(db: DatabaseSync, now: () => Date): CaseAcknowledgementRecords {
  const selectDue = db.prepare(`
    SELECT a.id, a.case_id, a.recipient, c.subject,
      (SELECT m.message_id FROM inbox_messages m WHERE m.case_id = a.case_id AND m.thread_role = 'opened' LIMIT 1) AS opening_message_id
    FROM case_acknowledgements a JOIN cases c ON c.id = a.case_id WHERE a.state = 'due' ORDER BY a.id`);
  const selectOne = db.prepare("SELECT recipient FROM case_acknowledgements WHERE id = ? AND state = 'due'");
  const selectRecent = db.prepare("SELECT 1 FROM case_acknowledgements WHERE recipient = ? AND state = 'sent' AND done_at > ? LIMIT 1");
  const mark = db.prepare('UPDATE case_acknowledgements SET state = ?, reason = ?, done_at = ? WHERE id = ?');
  const setMessageId = db.prepare('UPDATE case_acknowledgements SET message_id = ? WHERE id = ?');

  return {
    due: async () =>
      (selectDue.all() as Array<Record<string, unknown>>).map(dueAcknowledgementOf),

    claim: async (id, ownAddresses) => {
      const at = now();
      db.exec('BEGIN IMMEDIATE');
      try {
        const row = selectOne.get(id) as { recipient: string } | undefined;
        let claim: AcknowledgementClaim;
        if (!row) claim = { send: false, reason: 'already handled' };
        else if (ownAddresses.some((address) => address.toLowerCase() === row.recipient.toLowerCase())) claim = { send: false, reason: 'our own address' };
        else if (selectRecent.get(row.recipient, new Date(at.getTime() - acknowledgementIntervalMs).toISOString())) claim = { send: false, reason: 'one was sent to this sender within the hour' };
        else claim = { send: true };
        if (row) mark.run(claim.send ? 'sent' : 'skipped', claim.send ? null : claim.reason, at.toISOString(), id);
        db.exec('COMMIT');
        return claim;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },

    sent: async (id, messageId) => {
      setMessageId.run(messageId, id);
    },

    failed: async (id, reason) => {
      mark.run('failed', reason, now().toISOString(), id);
    },
  };
}
