import { parseArgs } from 'node:util';
import { ErrorCode } from '../../../shared/errors';
import { inboxCliNames, inboxOfCliName } from '../../../shared/inbox';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';

const recordsUsage = 'Use mail-settings records list --inbox lead|service-desk, mail-settings records quarantine --inbox lead|service-desk, or mail-settings records raw ID.';

/**
 * `mail-settings records list --inbox lead|service-desk [--limit N]`: one JSON array, most recent first
 * (with or without --json: it is meant for scripts). `mail-settings records raw ID`: the message exactly
 * as the server served it, byte for byte, on standard output. `mail-settings records quarantine --inbox …`:
 * the messages left on the server because they could not be kept, with the reason and the next attempt.
 */
export async function recordsCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { inbox: { type: 'string' }, limit: { type: 'string' } },
  });
  const [action, id] = positionals;
  if (action === 'list') return listRecords(context, values.inbox, values.limit);
  if (action === 'raw') return rawRecord(context, id);
  if (action === 'quarantine') return listQuarantine(context, values.inbox);
  return reportFailure(context, { code: ErrorCode.InvalidInput, message: `${action ? `Unknown records action “${action}”.` : 'Say what to do with the records.'} ${recordsUsage}` });
}

function listRecords(context: CliContext, inboxName: string | undefined, limitText: string | undefined): Promise<number> | number {
  const inbox = inboxName === undefined ? null : inboxOfCliName(inboxName);
  if (!inbox) {
    return reportFailure(context, { code: ErrorCode.InvalidInput, message: `Name the inbox with --inbox ${Object.values(inboxCliNames).join('|')}.` });
  }
  const limit = limitText === undefined ? 100 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    return reportFailure(context, { code: ErrorCode.InvalidInput, message: 'The --limit must be a whole number from 1 to 100000.' });
  }
  return withRuntime(context, async ({ services }) => {
    const records = await services.inbox.listRecords(inbox, limit);
    if (!records.ok) return reportFailure(context, records.error);
    printJson(context, records.value);
    return 0;
  });
}

function listQuarantine(context: CliContext, inboxName: string | undefined): Promise<number> | number {
  const inbox = inboxName === undefined ? null : inboxOfCliName(inboxName);
  if (!inbox) {
    return reportFailure(context, { code: ErrorCode.InvalidInput, message: `Name the inbox with --inbox ${Object.values(inboxCliNames).join('|')}.` });
  }
  return withRuntime(context, async ({ services }) => {
    const held = await services.inbox.listQuarantine(inbox);
    if (!held.ok) return reportFailure(context, held.error);
    printJson(context, held.value);
    return 0;
  });
}

function rawRecord(context: CliContext, idText: string | undefined): Promise<number> | number {
  const id = Number(idText);
  if (idText === undefined || !Number.isInteger(id) || id < 1) {
    return reportFailure(context, { code: ErrorCode.InvalidInput, message: `Give the record’s id (a number from records list). ${recordsUsage}` });
  }
  return withRuntime(context, async ({ services }) => {
    const raw = await services.inbox.rawRecord(id);
    if (!raw.ok) return reportFailure(context, raw.error);
    await context.outBytes(raw.value);
    return 0;
  });
}
