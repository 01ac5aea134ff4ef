import { accountLabel, integrationIdOfAccount, type AccountId, type AccountState, type ProviderOptions } from '../../shared/accounts';
import type { ReauthNotice } from '../../shared/admin';
import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import { mailboxIds } from '../../shared/mailboxes';
import type { EventBus } from '../events/event-bus';
import type { SettingsStore } from '../settings/settings-store';
import type { AccountService } from './account-service';
import { reauthNoticeOf, type ReauthPolicy } from './reauth-rules';
import { repeatEvery, type RepeatingTimer } from './repeating-timer';

export interface ReauthServiceDeps {
  readonly settings: SettingsStore;
  readonly accounts: AccountService;
  readonly events: EventBus;
  readonly now: () => Date;
  readonly policy: ReauthPolicy;
}

export interface ReauthService {
  /** The mailboxes whose mail stopped, or will soon, for want of a new sign-in. */
  list(): Promise<Result<ReauthNotice[]>>;
  /** "Re-authenticate Now": the mailbox's interactive sign-in, with the provider it was signed in with. */
  reauthenticate(mailbox: AccountId): Promise<Result<AccountState>>;
  /**
   * Announces the list (`reauthNoticesChanged`) whenever it changes: at once after an account's state
   * changes, and every `intervalMs` for the days that pass (a grant comes closer to its end without any
   * event). Returns the stop function.
   */
  watch(intervalMs?: number, timer?: RepeatingTimer): () => void;
}

const hourMs = 60 * 60_000;

/** Seed 003's "Re-authenticate Now": who must sign in again, and the sign-in that does it. */
export function createReauthService(deps: ReauthServiceDeps): ReauthService {
  const current = (): ReauthNotice[] =>
    // The app's mailboxes, then the added Email Integration mailboxes that sign in with Modern Authentication.
    [...mailboxIds, ...deps.settings.accountIds().filter((account) => integrationIdOfAccount(account) !== null)].flatMap((mailbox) => {
      const notice = reauthNoticeOf(mailbox, deps.settings.getAccount(mailbox), deps.now(), deps.policy);
      return notice ? [notice] : [];
    });

  return {
    list: async () => ok(current()),

    reauthenticate: async (mailbox) => {
      const record = deps.settings.getAccount(mailbox);
      if (!record) {
        return fail({
          code: ErrorCode.NotSignedIn,
          message: `The ${accountLabel(mailbox)} has no sign-in to renew.`,
          fix: `Open the ${accountLabel(mailbox)} settings and sign in there.`,
        });
      }
      // The same registration and account as before; Google goes to the system browser by itself.
      const { kind, clientId, tenant, issuer } = record.provider;
      const options: ProviderOptions = { kind, clientId, tenant, issuer, clientSecret: undefined, loginHint: record.username || undefined };
      return deps.accounts.signIn(mailbox, options, 'popup');
    },

    watch: (intervalMs = hourMs, timer = repeatEvery) => {
      let announced = JSON.stringify(current());
      const announceIfChanged = (): void => {
        const notices = current();
        const json = JSON.stringify(notices);
        if (json === announced) return;
        announced = json;
        deps.events.emit('reauthNoticesChanged', notices);
      };
      const stopFollowing = deps.events.on('accountStateChanged', announceIfChanged);
      const stopTimer = timer(intervalMs, announceIfChanged);
      return () => {
        stopFollowing();
        stopTimer();
      };
    },
  };
}
