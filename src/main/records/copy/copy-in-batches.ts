import { DatabaseError } from 'pg';
import type { PostgresTx } from '../postgres/postgres-db';
import { copiedBefore, lockCopyOf, rememberCopies, type CopiedId } from './copy-mapping';
import { addTally, emptyTally, type CopiedTable, type CopyRun, type CopyTally } from './copy-run';
import { nextBatchIds, numberIn, rowsByIds, type IdTable, type SourceRow } from './copy-source';

/** A row of the batch in the shared database: `copied` now, or found there already by its own key. */
export interface CopiedRow extends CopiedId {
  readonly copied: boolean;
}

/**
 * Copies the rows of one batch not copied before. `tally` is the batch's own (rows of other tables it
 * copies along, such as a message's note, go in it); it joins the run's once the batch commits.
 */
export type CopyRows = (tx: PostgresTx, rows: readonly SourceRow[], tally: CopyTally) => Promise<CopiedRow[]>;

/**
 * Copies `table` in id order, one batch per PostgreSQL transaction, each with the record_copies rows of
 * what it copied: a copy stopped anywhere (a crash, a lost connection) has committed whole batches only,
 * and the next run skips them by record_copies and goes on. Rows copied before are not even read again.
 */
export async function copyInBatches(run: CopyRun, table: IdTable & CopiedTable, copyRows: CopyRows): Promise<void> {
  for (let afterId = 0; ; ) {
    const ids = nextBatchIds(run.from, table, afterId, run.limits);
    const last = ids.at(-1);
    if (last === undefined) return;
    afterId = last;
    addTally(run.tally, await copyBatch(run, table, ids, copyRows));
    await run.batchCommitted(table);
  }
}

/** Tries of one batch that met a unique key: a retrieval into the shared database kept the same message meanwhile. */
const maxBatchAttempts = 3;

async function copyBatch(run: CopyRun, table: IdTable & CopiedTable, ids: readonly number[], copyRows: CopyRows): Promise<CopyTally> {
  for (let attempt = 1; ; attempt += 1) {
    const batch = emptyTally();
    try {
      await run.to.transaction(async (tx) => {
        await lockCopyOf(tx, run.source);
        const before = await copiedBefore(tx, run.source, table, ids);
        const rows = rowsByIds(run.from, table, ids.filter((id) => !before.has(id)));
        const copied = await copyRows(tx, rows, batch);
        await rememberCopies(tx, run.source, table, copied);
        // Rows this run copied along with others (a message's note) were counted then.
        batch.counts[table].alreadyThere += [...before.keys()].filter((id) => !run.tally.handled[table].has(id)).length;
        batch.counts[table].alreadyThere += copied.filter((row) => !row.copied).length;
        batch.counts[table].copied += copied.filter((row) => row.copied).length;
        for (const id of ids) batch.handled[table].add(id);
      });
      return batch;
    } catch (error) {
      // 23505 unique_violation (https://www.postgresql.org/docs/current/errcodes-appendix.html): tried
      // again, the batch finds that copy there and takes it for its own.
      if (!(error instanceof DatabaseError && error.code === '23505') || attempt >= maxBatchAttempts) throw error;
    }
  }
}

export const sourceIdOf = (row: SourceRow): number => numberIn(row, 'id');
