import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';

/**
 * `mail-settings integration retrieve ID` and `mail-settings retrieve integration:ID`: empties one
 * Email Integration mailbox into records, each message routed by its alias (for cron or a timer, like
 * `retrieve lead`). The last line with --json is {"ok":true,"retrieved":N,...}.
 */
export function retrieveIntegrationCommand(context: CliContext, id: string): Promise<number> {
  return withRuntime(context, async ({ services }) => {
    const result = await services.integrationRetrieval.checkNow(id);
    if (!result.ok) return reportFailure(context, result.error);
    const { retrieved, alreadyStored, expunged, leftForLaterExpunge, skippedDeletedByOthers, notImported, warnings } = result.value;
    if (context.json) printJson(context, { ok: true, retrieved, alreadyStored, expunged, leftForLaterExpunge, skippedDeletedByOthers, notImported, warnings });
    else {
      context.out(`Retrieved ${retrieved} message${retrieved === 1 ? '' : 's'}; ${expunged} removed from the server${notImported > 0 ? `; ${notImported} left on the server (quarantined)` : ''}.\n`);
      for (const warning of warnings) context.err(`Warning: ${warning.message}${warning.fix ? `\n${warning.fix}` : ''}\n`);
    }
    return 0;
  });
}
