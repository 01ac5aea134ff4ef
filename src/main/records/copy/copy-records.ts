import type { DatabaseSync } from 'node:sqlite';
import type { PostgresDb } from '../postgres/postgres-db';
import { copyActivityTypes } from './copy-activity-types';
import { copyCaseAcknowledgements, copyInboxRuns, copyQuarantine } from './copy-dependents';
import { copyInBatches } from './copy-in-batches';
import { copyInboxState } from './copy-inbox-state';
import { copyMessages } from './copy-messages';
import { copyCases, copyNotes, reserveCaseIds } from './copy-parents';
import { defaultBatchLimits, emptyTally, type BatchLimits, type CopiedTable, type CopyCounts, type CopyRun } from './copy-run';
import { installationIdOf, maxId } from './copy-source';

export interface CopyRecordsOptions {
  readonly limits?: BatchLimits;
  /** After each committed batch: the table, and every table's counts so far. */
  readonly onProgress?: (table: CopiedTable, counts: Readonly<CopyCounts>) => void;
  /** After each committed batch, with how many batches have committed: a test stops a copy midway here. */
  readonly afterBatch?: (committedBatches: number) => void | Promise<void>;
}

export interface CopySummary {
  /** The installation copied: its id (migration 11), the same for every run. */
  readonly installationId: string;
  readonly counts: CopyCounts;
}

/**
 * Copies every record of an installation's SQLite records into a shared PostgreSQL records database
 * (both migrated to the latest schema), idempotently: record_copies, written in each batch's own
 * transaction, says what was copied, so running it again copies nothing twice, and a copy stopped midway
 * completes when run again. Parents go before their children: the activity types (by name); then the
 * inbox messages, each batch with the notes and cases they became and their attachments; then the notes
 * and cases no message made (notes added by hand or by Send Direct); the runs, the quarantine, the
 * mailbox counters and first-import questions; the acknowledgements, with their case's new id last.
 */
export async function copyRecords(from: DatabaseSync, to: PostgresDb, options: CopyRecordsOptions = {}): Promise<CopySummary> {
  let committedBatches = 0;
  const run: CopyRun = {
    from,
    to,
    source: installationIdOf(from),
    limits: options.limits ?? defaultBatchLimits,
    tally: emptyTally(),
    batchCommitted: async (table) => {
      committedBatches += 1;
      options.onProgress?.(table, run.tally.counts);
      await options.afterBatch?.(committedBatches);
    },
  };
  await copyActivityTypes(run);
  await reserveCaseIds(to, maxId(from, 'cases'));
  await copyMessages(run);
  await copyInBatches(run, 'activity_notes', (tx, rows) => copyNotes(tx, run, rows));
  await copyInBatches(run, 'cases', (tx, rows) => copyCases(tx, rows));
  await copyInboxRuns(run);
  await copyQuarantine(run);
  await copyInboxState(run);
  await copyCaseAcknowledgements(run);
  return { installationId: run.source, counts: run.tally.counts };
}
