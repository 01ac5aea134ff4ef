import { parseArgs } from 'node:util';
import { ErrorCode } from '../../../shared/errors';
import type { CopiedTable, CopyCounts } from '../../records/copy/copy-run';
import { copiedTables } from '../../records/copy/copy-run';
import { parseDatabaseUrl } from '../../records/postgres/postgres-url';
import { passwordInDatabaseUrl } from '../../records/records-database-url';
import { refusedWithoutAdmin } from '../admin-gate';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';

/**
 * `mail-settings database migrate --to postgres://…` (issue 16): copies this data directory's records into
 * a PostgreSQL records database a team shares, idempotently. It copies only: the installation keeps using
 * its own records until it is pointed at the shared database. Administrators only once one exists.
 */

const usage = 'Use: mail-settings database migrate --to postgres://USER:PASSWORD@HOST:5432/DATABASE (see mail-settings --help).';

const tableNames: Record<CopiedTable, string> = {
  activity_types: 'activity types',
  cases: 'cases',
  activity_notes: 'activity notes',
  inbox_messages: 'inbox messages',
  inbox_attachments: 'attachments',
  inbox_runs: 'retrieval runs',
  inbox_quarantine: 'quarantined messages',
  mailbox_counters: 'mailbox counters',
  first_import_questions: 'first-import questions',
  case_acknowledgements: 'acknowledgements',
};

const stillOwnRecords =
  'This installation keeps using its own records until it is pointed at the shared database (--database URL on each command, MAIL_SETTINGS_DATABASE_URL, or the app’s settings).';

function countLine(table: CopiedTable, counts: CopyCounts): string {
  return `${tableNames[table]}: ${counts[table].copied} copied, ${counts[table].alreadyThere} already there`;
}

export async function databaseCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { to: { type: 'string' } } });
  if (positionals[0] !== 'migrate' || positionals.length > 1) {
    return reportFailure(context, { code: ErrorCode.InvalidInput, message: positionals[0] ? `“database ${positionals.join(' ')}” is not a database command. ${usage}` : usage });
  }
  if (values.to === undefined) return reportFailure(context, { code: ErrorCode.InvalidInput, message: `Name the shared database to copy into. ${usage}` });
  const parsed = parseDatabaseUrl(values.to);
  if (!parsed.ok) return reportFailure(context, parsed.error);
  const password = passwordInDatabaseUrl(parsed.address.url);
  if (password !== null) {
    context.secrets.remember(password);
    context.err('Warning: the password in --to can be read by other users of this computer (ps shows command lines). Leave it out of the address and set PGPASSWORD instead.\n');
  }
  const { redacted } = parsed.address;
  return withRuntime(context, async ({ services }) => {
    const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'database migrate');
    if (refused !== null) return refused;
    if (!context.json) context.out(`Copying the records of ${context.dataDir} into ${redacted}\n`);
    const { copyInstallationRecords } = await import('../../records/copy/copy-installation');
    const copied = await copyInstallationRecords(context.dataDir, parsed.address.url, {
      onProgress: (table, counts) => {
        if (context.json) printJson(context, { progress: { table, ...counts[table] } });
        else context.out(`  ${countLine(table, counts)}\n`);
      },
    });
    if (!copied.ok) return reportFailure(context, copied.error);
    const { counts, installationId } = copied.value;
    const copiedRows = copiedTables.reduce((sum, table) => sum + counts[table].copied, 0);
    const alreadyThere = copiedTables.reduce((sum, table) => sum + counts[table].alreadyThere, 0);
    if (context.json) {
      printJson(context, { ok: true, database: redacted, installationId, copied: copiedRows, alreadyThere, tables: counts, note: stillOwnRecords });
    } else {
      context.out(
        [
          `Done: ${copiedRows} rows copied, ${alreadyThere} already there (installation ${installationId}).`,
          ...copiedTables.map((table) => `  ${countLine(table, counts)}`),
          stillOwnRecords,
          '',
        ].join('\n'),
      );
    }
    return 0;
  });
}
