import { parseArgs } from 'node:util';
import { accountCliName, accountLabel, accountOfCliName, integrationIdOfAccount, mailboxes, providerLabels, type AccountState } from '../../../shared/accounts';
import { ErrorCode } from '../../../shared/errors';
import { refusedWithoutAdmin } from '../admin-gate';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';
import { mailboxCliNameList } from './sign-in-command';

/** `mail-settings accounts [--json] [--check]`: each mailbox's sign-in; --check tries a silent refresh first. */
export function accountsCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { check: { type: 'boolean', default: false } } });
  return withRuntime(context, async ({ services }) => {
    const states: AccountState[] = [];
    // The app's mailboxes always; added Email Integration mailboxes once they have a sign-in.
    const integrationAccounts = services.deps.settings.accountIds().filter((account) => integrationIdOfAccount(account) !== null);
    for (const mailbox of [...mailboxes, ...integrationAccounts]) {
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
  const name = integrationIdOfAccount(state.mailbox) === null ? accountLabel(state.mailbox) : `Email Integration ${accountCliName(state.mailbox)}`;
  switch (state.status) {
    case 'signed-out':
      return `${name}: not signed in`;
    case 'signed-in':
      return `${name}: signed in as ${state.username ?? ''} (${state.provider ? providerLabels[state.provider] : ''}), last refreshed ${state.lastRefreshedAt ?? 'never'}`;
    case 'needs-reauth':
      return `${name}: needs re-authentication (${state.username ?? ''}). ${state.reason?.message ?? ''} ${state.reason?.fix ?? ''}`.trimEnd();
  }
}

/** `mail-settings reset send` (or `integration:ID`): signs the mailbox out and removes its tokens from the keychain. */
export function resetCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const account = accountOfCliName(positionals[0]);
  if (account === null) {
    return Promise.resolve(reportFailure(context, { code: ErrorCode.InvalidInput, message: `Name the mailbox to reset: ${mailboxCliNameList}, or integration:ID.` }));
  }
  return withRuntime(context, async ({ services }) => {
    const integrationId = integrationIdOfAccount(account);
    // An added mailbox's sign-in is part of its credential: administrators' business, as in the dashboard.
    if (integrationId !== null) {
      const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'reset');
      if (refused !== null) return refused;
    }
    const result = integrationId === null ? await services.accounts.reset(account) : await services.integration.signOut(integrationId);
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, account: result.value });
    else context.out(`${integrationId === null ? accountLabel(account) : accountCliName(account)} is signed out; its tokens were removed from the keychain.\n`);
    return 0;
  });
}
