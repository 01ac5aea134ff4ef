import type { PostgresTx } from '../postgres/postgres-db';

/** A source row and the row it is in the shared database: copied there now, or found there already. */
export interface CopiedId {
  readonly sourceId: number;
  readonly targetId: number;
}

/**
 * Makes this batch the only one of this installation's copy at a time (until COMMIT or ROLLBACK), so two
 * copies of one installation started at once never both copy a row: the second waits, then finds the
 * first's record_copies rows.
 */
export async function lockCopyOf(tx: PostgresTx, source: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`record_copies ${source}`]);
}

/** What each of these rows of `table` became in the shared database, for the rows copied (or matched) before. */
export async function copiedBefore(tx: PostgresTx, source: string, table: string, sourceIds: readonly number[]): Promise<Map<number, number>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await tx.query<{ source_id: number; target_id: number }>(
    'SELECT source_id, target_id FROM record_copies WHERE source = $1 AND source_table = $2 AND source_id = ANY($3::bigint[])',
    [source, table, sourceIds],
  );
  return new Map(rows.map((row) => [Number(row.source_id), Number(row.target_id)]));
}

/** Remembers what these rows became, in the transaction that copied them: both commit, or neither. */
export async function rememberCopies(tx: PostgresTx, source: string, table: string, copies: readonly CopiedId[]): Promise<void> {
  if (copies.length === 0) return;
  await tx.query(
    `INSERT INTO record_copies (source, source_table, source_id, target_id)
     SELECT $1, $2, s, t FROM unnest($3::bigint[], $4::bigint[]) AS c(s, t)`,
    [source, table, copies.map((copy) => copy.sourceId), copies.map((copy) => copy.targetId)],
  );
}
