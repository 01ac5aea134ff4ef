import { copyInBatches, sourceIdOf, type CopiedRow } from './copy-in-batches';
import { copiedBefore } from './copy-mapping';
import type { CopyRun } from './copy-run';
import { numberIn } from './copy-source';

/** Copies every retrieval run's outcome, each as a new row: a run has no identity but its id. */
export async function copyInboxRuns(run: CopyRun): Promise<void> {
  await copyInBatches(run, 'inbox_runs', async (tx, rows) => {
    const copied: CopiedRow[] = [];
    for (const row of rows) {
      const [added] = await tx.query<{ id: number }>('INSERT INTO inbox_runs (inbox, finished_at, summary) VALUES ($1, $2, $3) RETURNING id', [row['inbox'], row['finished_at'], row['summary']]);
      copied.push({ sourceId: sourceIdOf(row), targetId: Number(added?.id), copied: true });
    }
    return copied;
  });
}

/**
 * Copies the quarantine. Its identity is the message's on the server (RFC 3501 2.3.1.1): one the shared
 * database lists already (another installation met the same message) is left as it is there.
 */
export async function copyQuarantine(run: CopyRun): Promise<void> {
  await copyInBatches(run, 'inbox_quarantine', async (tx, rows) => {
    const copied: CopiedRow[] = [];
    for (const row of rows) {
      const key = [row['account_key'], row['inbox'], row['mailbox'], row['uid_validity'], row['uid']];
      const [added] = await tx.query<{ id: number }>(
        `INSERT INTO inbox_quarantine (account_key, inbox, mailbox, uid_validity, uid, size, reason, detail, attempts, first_seen_at, last_attempt_at, next_retry_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (account_key, inbox, mailbox, uid_validity, uid) DO NOTHING RETURNING id`,
        [...key, row['size'], row['reason'], row['detail'], row['attempts'], row['first_seen_at'], row['last_attempt_at'], row['next_retry_at']],
      );
      const [there] = added
        ? [added]
        : await tx.query<{ id: number }>('SELECT id FROM inbox_quarantine WHERE account_key = $1 AND inbox = $2 AND mailbox = $3 AND uid_validity = $4 AND uid = $5', key);
      copied.push({ sourceId: sourceIdOf(row), targetId: Number(there?.id), copied: added !== undefined });
    }
    return copied;
  });
}

/**
 * Copies the Service Desk acknowledgements with their case's new id, in the state they are in here: a sent
 * one keeps its Message-ID, by which a reply to it finds its case; a due one is sent by whichever
 * installation sends from the shared database.
 */
export async function copyCaseAcknowledgements(run: CopyRun): Promise<void> {
  await copyInBatches(run, 'case_acknowledgements', async (tx, rows) => {
    const cases = await copiedBefore(tx, run.source, 'cases', [...new Set(rows.map((row) => numberIn(row, 'case_id')))]);
    const copied: CopiedRow[] = [];
    for (const row of rows) {
      const caseId = cases.get(numberIn(row, 'case_id'));
      if (caseId === undefined) throw new Error(`Case ${numberIn(row, 'case_id')} was not copied.`);
      const [added] = await tx.query<{ id: number }>(
        `INSERT INTO case_acknowledgements (case_id, recipient, message_id, state, reason, queued_at, done_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [caseId, row['recipient'], row['message_id'], row['state'], row['reason'], row['queued_at'], row['done_at']],
      );
      copied.push({ sourceId: sourceIdOf(row), targetId: Number(added?.id), copied: true });
    }
    return copied;
  });
}
