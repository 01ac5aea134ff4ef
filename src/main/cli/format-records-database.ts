import type { RecordsDatabaseStatus } from '../records/records-database-status';
import { databaseUrlEnvVar } from '../records/records-database-url';

const sourceWords = { commandLine: '--database', environment: databaseUrlEnvVar, settings: 'the app’s Records database setting' } as const;

/** The records database line of `status`: where the records are, what chose it, whether it answers. */
export function formatRecordsDatabase(status: RecordsDatabaseStatus): string {
  const where = status.kind === 'builtIn' ? `built-in, ${status.file}` : `PostgreSQL, ${status.url} (from ${sourceWords[status.source]})`;
  const answer = status.answers ? 'answers' : `does not answer. ${status.error.message} ${status.error.fix ?? ''}`.trimEnd();
  return `Records database: ${where}: ${answer}\n`;
}
