import { Client, Pool, types, type CustomTypesConfig, type PoolClient, type PoolConfig } from 'pg';
import { postgresMigrations } from './postgres-migrations';
import { PostgresRecordsError, postgresAppError } from './postgres-errors';
import { parseDatabaseUrl } from './postgres-url';

export interface PostgresRecordsDatabaseOptions {
  /** How long to wait for a connection before giving up (default 10 s). */
  readonly connectionTimeoutMillis?: number;
  /** Connections the pool may hold at once (node-postgres's default, 10, when not given). */
  readonly max?: number;
}

/**
 * The key of the advisory lock every migration transaction takes first
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS): "MSRECORD" in ASCII,
 * a constant no other lock of this app uses.
 */
const migrationLockKey = '5571887621422928452';

/**
 * bigint (int8) columns come back as numbers, as SQLite's integers do: ids, UIDs and sizes are far below
 * 2^53, and a value beyond it is refused rather than rounded. node-postgres's default is a string.
 */
const recordsTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === types.builtins.INT8 && format !== 'binary') return parseInt8;
    return types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`A bigint value is beyond 2^53: ${text}`);
  return value;
}

/**
 * pg's Client, closing its socket when a connection fails on the client's side: node-postgres itself
 * refuses SCRAM without a password, and pg-pool then drops the client but not its socket, which kept a
 * server backend waiting for the authentication_timeout (60 s by default) after every such attempt.
 */
class SocketClosingClient extends Client {
  override connect(): Promise<Client>;
  override connect(callback: ((err: Error) => void) | ((err: null, c: Client) => void)): void;
  override connect(callback?: ((err: Error) => void) | ((err: null, c: Client) => void)): Promise<Client> | void {
    const closeSocket = (): void => (this as unknown as { readonly connection?: { readonly stream?: { destroy(): void } } }).connection?.stream?.destroy();
    if (!callback) {
      return super.connect().catch((error: unknown) => {
        closeSocket();
        throw error;
      });
    }
    const reply = callback as (err: Error | null, c?: Client) => void;
    super.connect(((error: Error | null, client?: Client) => {
      if (error) closeSocket();
      reply(error, client);
    }) as (err: Error) => void);
  }
}

/**
 * Opens a pool of connections to the shared records database at `url` (a postgres:// or postgresql://
 * URL), migrated to the latest schema. Throws PostgresRecordsError, with a message naming the database
 * by its address without the password, when the URL is not one or the database cannot be used.
 */
export async function openPostgresRecordsDatabase(url: string, options: PostgresRecordsDatabaseOptions = {}): Promise<Pool> {
  const parsed = parseDatabaseUrl(url);
  if (!parsed.ok) throw new PostgresRecordsError(parsed.error);
  const config: PoolConfig = {
    Client: SocketClosingClient,
    connectionString: parsed.address.url,
    application_name: 'mail-settings',
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    // TCP keepalives notice a server that vanished without closing the connection (a crashed host).
    keepAlive: true,
    types: recordsTypes,
    ...(options.max === undefined ? {} : { max: options.max }),
  };
  const pool = new Pool(config);
  // An idle connection that the server closes (a restart) is reported here; without a listener Node would
  // end the process. The next query gets a new connection, or fails with an error of its own.
  pool.on('error', () => undefined);
  // So is a connection a caller holds between two queries: its next query fails instead (isConnectionLoss).
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migrate(pool);
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new PostgresRecordsError(postgresAppError(error, parsed.address));
  }
}

/** Runs `work` in a transaction holding the migration lock, which is released at COMMIT or ROLLBACK. */
async function withMigrationLock(pool: Pool, work: (client: PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    client.release();
  } catch (error) {
    // A connection that failed mid-transaction is not given back to the pool for reuse.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

/**
 * Applies every migration not yet applied, each in its own transaction (a failure leaves none half-done).
 * The lock comes first, then the check: two installations opening a new shared database at once must not
 * both apply a migration; the second waits, then finds it applied.
 */
async function migrate(pool: Pool): Promise<void> {
  await withMigrationLock(pool, async (client) => {
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)');
  });
  for (const migration of postgresMigrations) {
    await withMigrationLock(pool, async (client) => {
      const applied = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (applied.rowCount !== 0) return;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, new Date().toISOString()]);
    });
  }
}
