import { parseArgs } from 'node:util';
import { ErrorCode } from '../../../shared/errors';
import { inboxCliNames, inboxOfCliName } from '../../../shared/inbox';
import { mailboxNames } from '../../../shared/mailboxes';
import { refusedWithoutAdmin } from '../admin-gate';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';

/**
 * `mail-settings reset-counter lead|service-desk`: "Reset mailbox counter" (seed 003). An inbox that
 * leaves messages on the server reads its whole mailbox again at its next run, and makes records only of
 * the messages the records do not have yet. Administrators only (issue 14): inside the session
 * `mail-settings admin sign-in` opened, else exit 1 with ADMIN_REQUIRED.
 */
export async function resetCounterCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const name = positionals[0];
  const inbox = name === undefined ? null : inboxOfCliName(name);
  if (inbox === null) {
    return reportFailure(context, {
      code: ErrorCode.InvalidInput,
      message: `${name ? `“${name}” is not an inbox.` : 'Name the inbox.'} Use ${Object.values(inboxCliNames).join(' or ')}.`,
    });
  }
  return withRuntime(context, async ({ services }) => {
    const refused = await refusedWithoutAdmin(context, services, 'refuseWithoutAdministrators', 'reset-counter');
    if (refused !== null) return refused;
    const result = await services.inbox.resetCounter(inbox);
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, hadCounter: result.value.hadCounter });
    else context.out(`${mailboxNames[inbox]}: mailbox counter reset. The next check reads the whole mailbox again and creates only the records that are missing.\n`);
    return 0;
  });
}
