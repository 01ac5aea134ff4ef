import type { CopyRun } from './copy-run';
import { allRows } from './copy-source';

/**
 * Copies the mailbox counters and the unanswered first-import questions: one row per source (inbox), so
 * one transaction, and no record_copies rows (the source is the key). A counter the shared database has
 * for the same mailbox and UIDVALIDITY is raised to this one if higher (its messages were just copied),
 * never lowered; one it has for another mailbox is left as it is, as is a question it already asks.
 */
export async function copyInboxState(run: CopyRun): Promise<void> {
  const counters = allRows(run.from, 'mailbox_counters');
  const questions = allRows(run.from, 'first_import_questions');
  let copiedCounters = 0;
  let copiedQuestions = 0;
  await run.to.transaction(async (tx) => {
    for (const row of counters) {
      const changed = await tx.query(
        `INSERT INTO mailbox_counters (inbox, account_key, mailbox, uid_validity, highest_uid, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (inbox) DO UPDATE SET highest_uid = excluded.highest_uid, updated_at = excluded.updated_at
         WHERE mailbox_counters.account_key = excluded.account_key AND mailbox_counters.mailbox = excluded.mailbox
           AND mailbox_counters.uid_validity = excluded.uid_validity AND mailbox_counters.highest_uid < excluded.highest_uid
         RETURNING inbox`,
        [row['inbox'], row['account_key'], row['mailbox'], row['uid_validity'], row['highest_uid'], row['updated_at']],
      );
      copiedCounters += changed.length;
    }
    for (const row of questions) {
      const added = await tx.query('INSERT INTO first_import_questions (inbox, asked_at) VALUES ($1, $2) ON CONFLICT (inbox) DO NOTHING RETURNING inbox', [row['inbox'], row['asked_at']]);
      copiedQuestions += added.length;
    }
  });
  run.tally.counts.mailbox_counters.copied += copiedCounters;
  run.tally.counts.mailbox_counters.alreadyThere += counters.length - copiedCounters;
  run.tally.counts.first_import_questions.copied += copiedQuestions;
  run.tally.counts.first_import_questions.alreadyThere += questions.length - copiedQuestions;
  await run.batchCommitted('mailbox_counters');
  await run.batchCommitted('first_import_questions');
}
