import type { AccountId, AccountState, ProviderOptions, SignInVia } from '../../shared/accounts';
import { fail, ok, type AppError, type Result } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import { describeError, type Logger } from '../log/logger';
import type { SecretRegistry } from '../log/redact';
import { runInteractiveSignIn } from '../oauth/interactive-sign-in';
import { needsReauthentication, oauthErrorOf, oauthErrors } from '../oauth/oauth-errors';
import type { SignInWindow, SignInWindowOpener } from '../oauth/sign-in-window';
import type { OAuthProvider } from '../oauth/providers/oauth-provider';
import { resolveProvider, type ProviderDefaults, type ResolvedProvider } from '../oauth/providers/provider-config';
import type { ExternalOpener } from '../platform/external-link';
import { secretAccounts, SecretStoreError, type SecretStore } from '../secrets/secret-store';
import type { AccountRecord } from '../settings/settings-schema';
import type { SettingsStore } from '../settings/settings-store';
import { readClientSecret, saveClientSecret } from './client-secret-store';
import { createProvider } from './provider-factory';
import { refreshStillRunningElsewhere, waitForRefreshLock } from './refresh-lock';
import { repeatEvery, type RepeatingTimer } from './repeating-timer';

export interface AccountServiceDeps {
  /** Where the refresh locks live (refresh-lock.ts): every process on this data directory shares its keychain entries. */
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly secretRegistry: SecretRegistry;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly providerDefaults: ProviderDefaults;
  /** The app's sign-in popup; null where there is none (the CLI), and the system browser is used. */
  readonly popupOpener: SignInWindowOpener | null;
  readonly browserOpener: ExternalOpener;
  readonly signInTimeoutMs: number;
}

export interface ValidAccessToken {
  readonly accessToken: string;
  readonly username: string;
}

export interface AccountService {
  state(mailbox: AccountId): Promise<Result<AccountState>>;
  signIn(mailbox: AccountId, options: ProviderOptions, via: SignInVia): Promise<Result<AccountState>>;
  cancelSignIn(mailbox: AccountId): boolean;
  /** Moves a sign-in that waits in the popup to the system browser (same link, same loopback). */
  continueInBrowser(mailbox: AccountId): Promise<Result<void>>;
  /** What the mail code calls: a valid access token for this mailbox, or a typed error. */
  accessToken(mailbox: AccountId, options?: { readonly forceRefresh?: boolean }): Promise<Result<ValidAccessToken>>;
  /** A silent refresh now, to find out whether the grant is still alive. */
  check(mailbox: AccountId): Promise<Result<AccountState>>;
  reset(mailbox: AccountId): Promise<Result<AccountState>>;
  /** Checks every signed-in account every `intervalMs` (on `timer`, real time unless given); returns the stop function. */
  startMonitor(intervalMs: number, timer?: RepeatingTimer): () => void;
}

interface PendingSignIn {
  readonly url: string | null;
  readonly abort: AbortController;
  continueInBrowser: (() => Promise<void>) | null;
}

const never = new Promise<void>(() => undefined);

export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { settings, secrets, events } = deps;
  const pending = new Map<AccountId, PendingSignIn>();
  // Refresh tokens rotate (Google, and RFC 9700 §4.14.2 for public clients): a refresh token is good for
  // one refresh, and the identity provider revokes the whole grant when it sees one used twice. So two
  // refreshes of a mailbox never run at once: one at a time.
  const queues = new Map<AccountId, Promise<unknown>>();
  const serialized = <T>(mailbox: AccountId, task: () => Promise<T>): Promise<T> => {
    const next = (queues.get(mailbox) ?? Promise.resolve()).then(task, task);
    queues.set(mailbox, next.catch(() => undefined));
    return next;
  };
  // And callers asking at the same time share one answer, so that they cost one grant: a token request
  // joins the one in flight, unless it must force a refresh and that one may answer from the cache.
  const inFlight = new Map<AccountId, { readonly forced: boolean; readonly result: Promise<Result<ValidAccessToken>> }>();
  const sharedAccessToken = (mailbox: AccountId, forceRefresh: boolean): Promise<Result<ValidAccessToken>> => {
    const running = inFlight.get(mailbox);
    if (running && (running.forced || !forceRefresh)) return running.result;
    const result = serialized(mailbox, () => refresh(mailbox, forceRefresh));
    const entry = { forced: forceRefresh, result };
    inFlight.set(mailbox, entry);
    void result.finally(() => {
      if (inFlight.get(mailbox) === entry) inFlight.delete(mailbox);
    });
    return result;
  };

  function stateOf(mailbox: AccountId, record: AccountRecord | null): AccountState {
    if (!record) return { mailbox, status: 'signed-out', provider: null, username: null, lastRefreshedAt: null, reason: null };
    return {
      mailbox,
      status: record.status,
      provider: record.provider.kind,
      username: record.username,
      lastRefreshedAt: record.lastRefreshedAt,
      reason: (record.reason as AppError | null) ?? null,
    };
  }

  function publish(mailbox: AccountId, record: AccountRecord | null): AccountState {
    if (record) settings.setAccount(mailbox, record);
    else settings.deleteAccount(mailbox);
    const state = stateOf(mailbox, record);
    events.emit('accountStateChanged', state);
    return state;
  }

  async function providerFor(mailbox: AccountId, options: ProviderOptions): Promise<{ provider: OAuthProvider; resolved: ResolvedProvider }> {
    const configured = resolveProvider(options, deps.providerDefaults);
    // A secret typed for this sign-in wins; else the one stored for this very issuer, if any.
    const stored = options.clientSecret === undefined ? await readClientSecret(secrets, mailbox, configured.issuer) : undefined;
    const resolved = stored === undefined ? configured : { ...configured, clientSecret: stored };
    return { provider: createProvider(mailbox, resolved, secrets), resolved };
  }

  function optionsOf(record: AccountRecord): ProviderOptions {
    const { kind, clientId, tenant, issuer } = record.provider;
    return { kind, clientId, tenant, issuer, clientSecret: undefined, loginHint: record.username || undefined };
  }

  function failure<T>(error: unknown, context: { clientId?: string; tenant?: string } = {}): Result<T> {
    if (error instanceof SecretStoreError) return fail(error.appError);
    const appError = oauthErrorOf(error, context);
    if (appError.code === 'SIGN_IN_FAILED') deps.logger.warn('OAuth failure', describeError(error));
    return fail(appError);
  }

  async function markNeedsReauth(mailbox: AccountId, reason: AppError): Promise<void> {
    const record = settings.getAccount(mailbox);
    if (!record || record.status === 'needs-reauth') return;
    publish(mailbox, { ...record, status: 'needs-reauth', reason });
  }

  /** Why a mailbox cannot hand out a token without a new sign-in; null when it is signed in. */
  function notUsable(record: AccountRecord | null): AppError | null {
    if (!record) return oauthErrors.notSignedIn;
    return record.status === 'needs-reauth' ? ((record.reason as AppError | null) ?? oauthErrors.grantExpired) : null;
  }

  async function refresh(mailbox: AccountId, forceRefresh: boolean): Promise<Result<ValidAccessToken>> {
    const record = settings.getAccount(mailbox);
    const refusal = notUsable(record);
    if (refusal || !record) return fail(refusal ?? oauthErrors.notSignedIn);
    try {
      const { provider } = await providerFor(mailbox, optionsOf(record));
      // A token still good in the keychain costs neither a grant nor the lock.
      const cached = forceRefresh ? null : await provider.cachedAccessToken(record.accountKey);
      if (cached) return ok(handedOut(cached.accessToken, record.username));
      const seenBefore = await provider.storedTokensVersion();
      const lock = await waitForRefreshLock(deps.dataDir, mailbox);
      if (!lock) return fail(refreshStillRunningElsewhere);
      try {
        return await refreshHoldingLock(mailbox, forceRefresh, seenBefore);
      } finally {
        await lock.release();
      }
    } catch (error) {
      const result = failure<ValidAccessToken>(error, record.provider);
      if (!result.ok && needsReauthentication(result.error)) await markNeedsReauth(mailbox, result.error);
      return result;
    }
  }

  /**
   * The refresh itself, holding the mailbox's refresh lock. Another process may have refreshed, reset or
   * found the grant dead while this one waited: the settings and the keychain are read again, and the
   * provider goes to the token endpoint only if the token is still due, or if a forced refresh still has
   * nothing newer than what it started with (the other process's refresh is as fresh as ours would be,
   * and the refresh token we started with is spent).
   */
  async function refreshHoldingLock(mailbox: AccountId, forceRefresh: boolean, seenBefore: string | null): Promise<Result<ValidAccessToken>> {
    const record = settings.getAccount(mailbox);
    const refusal = notUsable(record);
    if (refusal || !record) return fail(refusal ?? oauthErrors.notSignedIn);
    const { provider } = await providerFor(mailbox, optionsOf(record));
    const refreshedMeanwhile = (await provider.storedTokensVersion()) !== seenBefore;
    const token = await provider.accessToken(record.accountKey, { forceRefresh: forceRefresh && !refreshedMeanwhile });
    if (token.refreshed) publish(mailbox, { ...record, lastRefreshedAt: deps.now().toISOString(), reason: null });
    return ok(handedOut(token.accessToken, record.username));
  }

  function handedOut(accessToken: string, username: string): ValidAccessToken {
    deps.secretRegistry.remember(accessToken);
    return { accessToken, username };
  }

  const service: AccountService = {
    state: async (mailbox) => ok(stateOf(mailbox, settings.getAccount(mailbox))),

    signIn: async (mailbox, options, via) => {
      if (pending.has(mailbox)) return fail(oauthErrors.inProgress);
      const entry: PendingSignIn = { url: null, abort: new AbortController(), continueInBrowser: null };
      pending.set(mailbox, entry);
      let resolved: ResolvedProvider | undefined;
      try {
        const found = await providerFor(mailbox, options);
        resolved = found.resolved;
        const browserWindow = async (url: string): Promise<SignInWindow> => {
          await deps.browserOpener.open(new URL(url));
          return { closed: never, close: () => undefined };
        };
        // Google refuses embedded windows, and without the app's popup (the CLI, `mail-settings ui` in the
        // browser) there is none: then the sign-in is in the system browser, and the window is told so.
        const inBrowser = via === 'browser' || (via === 'popup' && (!deps.popupOpener || options.kind === 'google'));
        const show = async (url: string, redirectUri: string): Promise<SignInWindow> => {
          if (via === 'link') return { closed: never, close: () => undefined };
          if (inBrowser || !deps.popupOpener) return browserWindow(url);
          const popup = await deps.popupOpener.open(url, redirectUri);
          let movedToBrowser = false;
          entry.continueInBrowser = async () => {
            movedToBrowser = true;
            popup.close();
            await browserWindow(url);
          };
          return { closed: popup.closed.then(() => (movedToBrowser ? never : undefined)), close: () => popup.close() };
        };
        const account = await runInteractiveSignIn(await found.provider.signInFlow(), {
          show,
          onUrl: (url) => {
            Object.assign(entry, { url });
            events.emit('signInProgress', { mailbox, url, via: inBrowser ? 'browser' : via });
          },
          timeoutMs: deps.signInTimeoutMs,
          signal: entry.abort.signal,
        });
        if (options.clientSecret) await saveClientSecret(secrets, mailbox, resolved.issuer, options.clientSecret);
        const record: AccountRecord = {
          provider: {
            kind: resolved.kind,
            ...(options.clientId ? { clientId: options.clientId } : {}),
            ...(options.tenant ? { tenant: options.tenant } : {}),
            ...(options.issuer ? { issuer: options.issuer } : {}),
          },
          username: account.username,
          accountKey: account.accountKey,
          status: 'signed-in',
          lastRefreshedAt: deps.now().toISOString(),
          signedInAt: deps.now().toISOString(),
          reason: null,
        };
        return ok(publish(mailbox, record));
      } catch (error) {
        return failure(error, { clientId: resolved?.clientId, tenant: resolved?.tenant });
      } finally {
        pending.delete(mailbox);
      }
    },

    cancelSignIn: (mailbox) => {
      const entry = pending.get(mailbox);
      entry?.abort.abort();
      return entry !== undefined;
    },

    continueInBrowser: async (mailbox) => {
      const entry = pending.get(mailbox);
      if (!entry?.url) return fail({ ...oauthErrors.notSignedIn, message: 'No sign-in is waiting in the sign-in window.' });
      if (entry.continueInBrowser) await entry.continueInBrowser();
      else await deps.browserOpener.open(new URL(entry.url));
      return ok(undefined);
    },

    accessToken: (mailbox, options) => sharedAccessToken(mailbox, options?.forceRefresh ?? false),

    check: async (mailbox) => {
      if (settings.getAccount(mailbox)?.status === 'signed-in') {
        const result = await sharedAccessToken(mailbox, true);
        if (!result.ok && !needsReauthentication(result.error)) return fail(result.error);
      }
      return ok(stateOf(mailbox, settings.getAccount(mailbox)));
    },

    reset: (mailbox) =>
      serialized(mailbox, async () => {
        // A refresh in another process would write the tokens back after they were removed: wait for it.
        // Reset goes ahead even if that process never finishes: the user asked for the sign-in to go.
        const lock = await waitForRefreshLock(deps.dataDir, mailbox).catch(() => null);
        const record = settings.getAccount(mailbox);
        try {
          if (record) {
            const { provider } = await providerFor(mailbox, optionsOf(record)).catch(() => ({ provider: null }));
            await provider?.signOut(record.accountKey).catch((error: unknown) => deps.logger.warn('Sign-out at the provider failed', describeError(error)));
          }
          // Whatever the provider said, nothing of the account stays on this computer.
          for (const account of [secretAccounts.msalCache(mailbox), secretAccounts.oauthTokens(mailbox), secretAccounts.clientSecret(mailbox)]) {
            await secrets.delete(account);
          }
          return ok(publish(mailbox, null));
        } catch (error) {
          return failure(error);
        } finally {
          await lock?.release();
        }
      }),

    startMonitor: (intervalMs, timer = repeatEvery) =>
      timer(intervalMs, () => {
        for (const mailbox of settings.accountIds()) {
          if (settings.getAccount(mailbox)?.status !== 'signed-in') continue;
          // A check already turns every failure into a result; this only keeps a surprise out of the
          // process's unhandled rejections.
          service.check(mailbox).catch((error: unknown) => deps.logger.warn('Background account check failed', describeError(error)));
        }
      }),
  };
  return service;
}
