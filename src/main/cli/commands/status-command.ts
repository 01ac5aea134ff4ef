import { parseArgs } from 'node:util';
import { formatStatus } from '../format-status';
import { formatRecordsDatabase } from '../format-records-database';
import { reportFailure, withRuntime, type CliContext } from '../cli-context';
import { recordsDatabaseStatus } from '../../records/records-database-status';
import { formatRetrievers, retrieversStatus } from '../retrievers-status';

/** `mail-settings status [--json]` */
export function statusCommand(context: CliContext, args: readonly string[]): Promise<number> {
  parseArgs({ args: [...args], options: {} }); // refuses unknown options and arguments
  return withRuntime(context, async ({ services }) => {
    const result = await services.status.get();
    if (!result.ok) return reportFailure(context, result.error);
    const recordsDatabase = await recordsDatabaseStatus(services.deps.recordsLocation, services.records);
    // Team mode: which installation empties each shared mailbox (absent from the JSON otherwise).
    const retrievers = await retrieversStatus(services).catch(() => null);
    const shared = retrievers === null ? {} : { mailboxes: retrievers };
    context.out(context.json ? `${JSON.stringify({ ...result.value, recordsDatabase, ...shared }, null, 2)}\n` : `${formatStatus(result.value)}${formatRecordsDatabase(recordsDatabase)}${formatRetrievers(retrievers)}`);
    return 0;
  });
}
