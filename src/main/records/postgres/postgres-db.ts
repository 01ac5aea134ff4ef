import type { Pool, PoolClient } from 'pg';

/** One statement at a time, inside a transaction or not: rows back, typed by the caller's row mapper. */
export interface PostgresTx {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * The records' PostgreSQL connection pool, reduced to what the parts need: a statement, or a unit of work
 * in one transaction on one client (what SQLite did in one transaction is one `transaction(...)` here).
 */
export interface PostgresDb extends PostgresTx {
  transaction<T>(work: (tx: PostgresTx) => Promise<T>): Promise<T>;
}

export function postgresDbOn(pool: Pool): PostgresDb {
  return {
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await pool.query(sql, [...params])).rows as T[],
    transaction: async (work) => {
      const client = await pool.connect();
      // A client whose ROLLBACK failed is in an unknown state: the pool discards it instead of reusing it.
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(txOn(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

function txOn(client: PoolClient): PostgresTx {
  return {
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, [...params])).rows as T[],
  };
}
