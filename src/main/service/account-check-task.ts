import { accountCliName, type AccountId, type AccountState, type AccountStatus } from '../../shared/accounts';
import type { Result } from '../../shared/errors';
import { errorFields } from './inbox-retrieval-task';
import type { RunOutcome, ScheduledTask } from './scheduler';
import type { ServiceLog } from './service-log';

export interface AccountCheckDeps {
  /** The mailbox's stored sign-in status, or null when it has never signed in with Modern Authentication. */
  readonly statusOf: (mailbox: AccountId) => AccountStatus | null;
  /** Every sign-in to check: the app's mailboxes and added Email Integration mailboxes. */
  readonly accountIds: () => readonly AccountId[];
  /** AccountService.check: a silent refresh of a signed-in account, then its state. */
  readonly check: (mailbox: AccountId) => Promise<Result<AccountState>>;
  readonly log: ServiceLog;
}

/**
 * The re-authentication checks: each Modern Authentication sign-in is refreshed silently, and a grant
 * that died (revoked, expired, password changed) is logged as a warning with what to do, once, when it
 * is first seen; its return to signed in is logged too. A check that could not reach the identity
 * provider is only a warning: the grant may well be alive.
 */
export function accountCheckTask(everyMs: number, deps: AccountCheckDeps): ScheduledTask {
  const { log } = deps;
  const seen = new Map<AccountId, AccountStatus>();

  const note = (state: AccountState): void => {
    const before = seen.get(state.mailbox);
    seen.set(state.mailbox, state.status);
    if (before === state.status) return;
    const mailbox = accountCliName(state.mailbox);
    if (state.status === 'needs-reauth') {
      log.warn('re-authentication needed: mail is not sent or fetched for this mailbox until then', {
        mailbox,
        ...(state.reason ? errorFields(state.reason) : {}),
        advice: `Open Mail Settings and click “Re-authenticate Now”, or run mail-settings sign-in ${mailbox} --provider ${state.provider ?? '…'}`,
      });
    } else if (state.status === 'signed-in' && before === 'needs-reauth') {
      log.info('signed in again', { mailbox });
    }
  };

  return {
    name: 'accounts',
    everyMs,
    async run(signal): Promise<RunOutcome> {
      let outcome: RunOutcome = 'succeeded';
      for (const mailbox of deps.accountIds()) {
        // Each check may rotate a refresh token: one that began is finished, none is begun once stopping.
        if (signal.aborted) break;
        if (deps.statusOf(mailbox) === null) continue;
        const checked = await deps.check(mailbox);
        if (checked.ok) {
          note(checked.value);
          continue;
        }
        outcome = 'failed';
        log.warn('account check failed: trying again at the next check', { mailbox: accountCliName(mailbox), ...errorFields(checked.error) });
      }
      return outcome;
    },
  };
}
