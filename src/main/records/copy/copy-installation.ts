import { access } from 'node:fs/promises';
import { ErrorCode, fail, ok, type Result } from '../../../shared/errors';
import { openPostgresRecordsDatabase } from '../postgres/postgres-database';
import { postgresDbOn } from '../postgres/postgres-db';
import { DatabaseError } from 'pg';
import { isConnectionLoss, postgresAppError, PostgresRecordsError } from '../postgres/postgres-errors';
import { parseDatabaseUrl } from '../postgres/postgres-url';
import { openRecordsDatabase, recordsDatabaseFile } from '../records-database';
import { copyRecords, type CopyRecordsOptions, type CopySummary } from './copy-records';

/**
 * Copies the records of the installation whose data directory is `dataDir` into the PostgreSQL records
 * database at `databaseUrl` (migrating it first). Every failure of the database is the user's account of
 * it (postgres-errors.ts), naming the database without its password.
 */
export async function copyInstallationRecords(dataDir: string, databaseUrl: string, options: CopyRecordsOptions = {}): Promise<Result<CopySummary>> {
  const parsed = parseDatabaseUrl(databaseUrl);
  if (!parsed.ok) return fail(parsed.error);
  if (!(await access(recordsDatabaseFile(dataDir)).then(() => true, () => false))) {
    return fail({
      code: ErrorCode.InvalidInput,
      message: `There are no records to copy in ${dataDir}: it holds no records database (records.sqlite).`,
      fix: 'Name the data directory of the installation to copy with --data-dir DIR (or MAIL_SETTINGS_DATA_DIR).',
    });
  }
  let pool;
  try {
    pool = await openPostgresRecordsDatabase(parsed.address.url);
  } catch (error) {
    return fail(postgresAppError(error, parsed.address));
  }
  const sqlite = await openRecordsDatabase(dataDir);
  try {
    return ok(await copyRecords(sqlite, postgresDbOn(pool), options));
  } catch (error) {
    // The database's failures are the user's to act on; anything else is a bug, reported as one.
    if (error instanceof DatabaseError || error instanceof PostgresRecordsError || isConnectionLoss(error)) {
      return fail(postgresAppError(error, parsed.address, { duringRun: true }));
    }
    throw error;
  } finally {
    sqlite.close();
    await pool.end().catch(() => undefined);
  }
}
