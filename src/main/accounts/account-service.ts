import { mailboxes, type AccountState, type Mailbox, type ProviderOptions, type SignInVia } from '../../shared/accounts';
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
import { createProvider } from './provider-factory';

export interface AccountServiceDeps {
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
  state(mailbox: Mailbox): Promise<Result<AccountState>>;
  signIn(mailbox: Mailbox, options: ProviderOptions, via: SignInVia): Promise<Result<AccountState>>;
  cancelSignIn(mailbox: Mailbox): boolean;
  /** Moves a sign-in that waits in the popup to the system browser (same link, same loopback). */
  continueInBrowser(mailbox: Mailbox): Promise<Result<void>>;
  /** What the mail code calls: a valid access token for this mailbox, or a typed error. */
  accessToken(mailbox: Mailbox, options?: { readonly forceRefresh?: boolean }): Promise<Result<ValidAccessToken>>;
  /** A silent refresh now, to find out whether the grant is still alive. */
  check(mailbox: Mailbox): Promise<Result<AccountState>>;
  reset(mailbox: Mailbox): Promise<Result<AccountState>>;
  /** Checks every signed-in account every `intervalMs`; returns the stop function. */
  startMonitor(intervalMs: number): () => void;
}

interface PendingSignIn {
  readonly url: string | null;
  readonly abort: AbortController;
  continueInBrowser: (() => Promise<void>) | null;
}

const never = new Promise<void>(() => undefined);

export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { settings, secrets, events } = deps;
  const pending = new Map<Mailbox, PendingSignIn>();
  // Refresh tokens rotate: two refreshes at once would race and one of them would die. One at a time.
  const queues = new Map<Mailbox, Promise<unknown>>();
  const serialized = <T>(mailbox: Mailbox, task: () => Promise<T>): Promise<T> => {
    const next = (queues.get(mailbox) ?? Promise.resolve()).then(task, task);
    queues.set(mailbox, next.catch(() => undefined));
    return next;
  };

  function stateOf(mailbox: Mailbox, record: AccountRecord | null): AccountState {
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

  function publish(mailbox: Mailbox, record: AccountRecord | null): AccountState {
    if (record) settings.setAccount(mailbox, record);
    else settings.deleteAccount(mailbox);
    const state = stateOf(mailbox, record);
    events.emit('accountStateChanged', state);
    return state;
  }

  async function providerFor(mailbox: Mailbox, options: ProviderOptions): Promise<{ provider: OAuthProvider; resolved: ResolvedProvider }> {
    const clientSecret = options.clientSecret ?? (await secrets.get(secretAccounts.clientSecret(mailbox))) ?? undefined;
    const resolved = resolveProvider({ ...options, clientSecret }, deps.providerDefaults);
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

  async function markNeedsReauth(mailbox: Mailbox, reason: AppError): Promise<void> {
    const record = settings.getAccount(mailbox);
    if (!record || record.status === 'needs-reauth') return;
    publish(mailbox, { ...record, status: 'needs-reauth', reason });
  }

  async function refresh(mailbox: Mailbox, forceRefresh: boolean): Promise<Result<ValidAccessToken>> {
    const record = settings.getAccount(mailbox);
    if (!record) return fail(oauthErrors.notSignedIn);
    if (record.status === 'needs-reauth') return fail((record.reason as AppError | null) ?? oauthErrors.grantExpired);
    try {
      const { provider } = await providerFor(mailbox, optionsOf(record));
      const token = await provider.accessToken(record.accountKey, { forceRefresh });
      deps.secretRegistry.remember(token.accessToken);
      if (token.refreshed) publish(mailbox, { ...record, lastRefreshedAt: deps.now().toISOString(), reason: null });
      return ok({ accessToken: token.accessToken, username: record.username });
    } catch (error) {
      const result = failure<ValidAccessToken>(error, record.provider);
      if (!result.ok && needsReauthentication(result.error)) await markNeedsReauth(mailbox, result.error);
      return result;
    }
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
        const origins = await found.provider.allowedOrigins();
        const browserWindow = async (url: string): Promise<SignInWindow> => {
          await deps.browserOpener.open(new URL(url));
          return { closed: never, close: () => undefined };
        };
        const show = async (url: string): Promise<SignInWindow> => {
          if (via === 'link') return { closed: never, close: () => undefined };
          // Google refuses embedded windows: it always goes to the system browser.
          if (via === 'browser' || !deps.popupOpener || options.kind === 'google') return browserWindow(url);
          const popup = await deps.popupOpener.open(url, origins);
          let movedToBrowser = false;
          entry.continueInBrowser = async () => {
            movedToBrowser = true;
            popup.close();
            await browserWindow(url);
          };
          return { closed: popup.closed.then(() => (movedToBrowser ? never : undefined)), close: () => popup.close() };
        };
        const account = await runInteractiveSignIn(found.provider.signInFlow(), {
          show,
          onUrl: (url) => {
            Object.assign(entry, { url });
            events.emit('signInProgress', { mailbox, url, via });
          },
          timeoutMs: deps.signInTimeoutMs,
          signal: entry.abort.signal,
        });
        if (options.clientSecret) await secrets.set(secretAccounts.clientSecret(mailbox), options.clientSecret);
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

    accessToken: (mailbox, options) => serialized(mailbox, () => refresh(mailbox, options?.forceRefresh ?? false)),

    check: (mailbox) =>
      serialized(mailbox, async () => {
        const record = settings.getAccount(mailbox);
        if (record?.status === 'signed-in') {
          const result = await refresh(mailbox, true);
          if (!result.ok && !needsReauthentication(result.error)) return fail(result.error);
        }
        return ok(stateOf(mailbox, settings.getAccount(mailbox)));
      }),

    reset: (mailbox) =>
      serialized(mailbox, async () => {
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
        } catch (error) {
          return failure(error);
        }
        return ok(publish(mailbox, null));
      }),

    startMonitor: (intervalMs) => {
      const timer = setInterval(() => {
        for (const mailbox of mailboxes) {
          if (settings.getAccount(mailbox)?.status === 'signed-in') void service.check(mailbox);
        }
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
  return service;
}
