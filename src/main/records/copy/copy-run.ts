import type { DatabaseSync } from 'node:sqlite';
import type { PostgresDb } from '../postgres/postgres-db';

/** The tables a copy fills, in the order it reports them. */
export const copiedTables = [
  'activity_types',
  'cases',
  'activity_notes',
  'inbox_messages',
  'inbox_attachments',
  'inbox_runs',
  'inbox_quarantine',
  'mailbox_counters',
  'first_import_questions',
  'case_acknowledgements',
] as const;

export type CopiedTable = (typeof copiedTables)[number];

/** Per table: rows copied by this run, and rows found already there (copied before, or the same record by its key). */
export interface TableCount {
  copied: number;
  alreadyThere: number;
}

export type CopyCounts = Record<CopiedTable, TableCount>;

/**
 * What a run (or one batch of it) did: its counts, and the source ids it copied or found there, per table.
 * A later step that meets those rows in record_copies does not count them a second time.
 */
export interface CopyTally {
  readonly counts: CopyCounts;
  readonly handled: Record<CopiedTable, Set<number>>;
}

/** How much one batch (one PostgreSQL transaction) holds at most; it always holds at least one row. */
export interface BatchLimits {
  readonly rows: number;
  /** Raw bytes (messages, sent notes) read into memory for one batch. */
  readonly bytes: number;
}

/** 200 rows or 16 MiB: a 10k-message mailbox is copied in 50 or more transactions, never held whole. */
export const defaultBatchLimits: BatchLimits = { rows: 200, bytes: 16 * 1024 * 1024 };

/** One copy in progress: where from, where to, as which installation, and its running counts. */
export interface CopyRun {
  readonly from: DatabaseSync;
  readonly to: PostgresDb;
  /** The installation's id (its `installation` row): the `source` of every record_copies row it writes. */
  readonly source: string;
  readonly limits: BatchLimits;
  /** Committed batches only. */
  readonly tally: CopyTally;
  /** Called after each committed batch of `table`, with the counts so far. */
  batchCommitted(table: CopiedTable): Promise<void>;
}

export function emptyTally(): CopyTally {
  return {
    counts: Object.fromEntries(copiedTables.map((table) => [table, { copied: 0, alreadyThere: 0 }])) as CopyCounts,
    handled: Object.fromEntries(copiedTables.map((table) => [table, new Set<number>()])) as CopyTally['handled'],
  };
}

/** Adds a committed batch's tally to the run's. */
export function addTally(into: CopyTally, batch: CopyTally): void {
  for (const table of copiedTables) {
    into.counts[table].copied += batch.counts[table].copied;
    into.counts[table].alreadyThere += batch.counts[table].alreadyThere;
    for (const id of batch.handled[table]) into.handled[table].add(id);
  }
}
