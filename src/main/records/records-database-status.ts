import { ErrorCode, type AppError } from '../../shared/errors';
import type { RecordsDatabaseInUse } from '../../shared/records-database';
import { postgresAppError } from './postgres/postgres-errors';
import { parseDatabaseUrl } from './postgres/postgres-url';
import type { ResolvedRecordsLocation } from './records-location';
import type { RecordsStore } from './records-store';

/** `status`: which records database is used, and whether it answers (opened, migrated, read from). */
export type RecordsDatabaseStatus = RecordsDatabaseInUse & { readonly answers: true } | RecordsDatabaseInUse & { readonly answers: false; readonly error: AppError };

/** Opens the records (as any command would) and reads the activity types: an answer from the database itself. */
export async function recordsDatabaseStatus(resolved: ResolvedRecordsLocation, records: () => Promise<RecordsStore>): Promise<RecordsDatabaseStatus> {
  try {
    await (await records()).activityTypes();
    return { ...resolved.inUse, answers: true };
  } catch (error) {
    return { ...resolved.inUse, answers: false, error: failureOf(resolved, error) };
  }
}

function failureOf({ location, inUse }: ResolvedRecordsLocation, error: unknown): AppError {
  if (typeof location !== 'string') {
    const parsed = parseDatabaseUrl(location.databaseUrl);
    if (!parsed.ok) return parsed.error;
    return postgresAppError(error, parsed.address);
  }
  return {
    code: ErrorCode.Internal,
    message: `The built-in records database ${inUse.kind === 'builtIn' ? inUse.file : ''} could not be opened.`,
    fix: 'Check that the data directory is on a disk with free space and that you may write to it.',
  };
}
