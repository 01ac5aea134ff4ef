import { parseArgs } from 'node:util';
import { mailboxes, mailboxLabels, providerLabels, type AccountState } from '../../../shared/accounts';
import { ErrorCode } from '../../../shared/errors';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';
import { mailboxOfCliName } from '../../../shared/mailboxes';
import { mailboxCliNameList } from './sign-in-command';

/** `mail-settings accounts [--json] [--check]`: each mailbox's sign-in; --check tries a silent refresh first. */
export function accountsCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { check: { type: 'boolean', default: false } } });
  return withRuntime(context, async ({ services }) => {
    const states: AccountState[] = [];
    for (const mailbox of mailboxes) {
      const result = values.check ? await services.accounts.check(mailbox) : await services.accounts.state(mailbox);
      if (!result.ok) return reportFailure(context, result.error);
      states.push(result.value);
    }
    if (context.json) {
      printJson(context, { accounts: states });
    } else {
      for (const state of states) context.out(`${describeAccount(state)}\n`);
    }
    return 0;
  });
}

function describeAccount(state: AccountState): string {
  const name = mailboxLabels[state.mailbox];
  switch (state.status) {
    case 'signed-out':
      return `${name}: not signed in`;
    case 'signed-in':
      return `${name}: signed in as ${state.username ?? ''} (${state.provider ? providerLabels[state.provider] : ''}), last refreshed ${state.lastRefreshedAt ?? 'never'}`;
    case 'needs-reauth':
      return `${name}: needs re-authentication (${state.username ?? ''}). ${state.reason?.message ?? ''} ${state.reason?.fix ?? ''}`.trimEnd();
  }
}

/** `mail-settings reset send`: signs the mailbox out and removes its tokens from the keychain. */
export function resetCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const mailbox = mailboxOfCliName(positionals[0]);
  if (mailbox === null) {
    return Promise.resolve(reportFailure(context, { code: ErrorCode.InvalidInput, message: `Name the mailbox to reset: ${mailboxCliNameList}.` }));
  }
  return withRuntime(context, async ({ services }) => {
    const result = await services.accounts.reset(mailbox);
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, account: result.value });
    else context.out(`${mailboxLabels[mailbox]} is signed out; its tokens were removed from the keychain.\n`);
    return 0;
  });
}
