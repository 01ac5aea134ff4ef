import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RepeatingTimer } from '../../src/main/accounts/repeating-timer';
import type { Runtime } from '../../src/main/node-runtime';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import type { AccountState, ProviderKind } from '../../src/shared/accounts';
import { scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { addUser, idpControl, type TestUser } from '../testbed/client';

/**
 * Silent refresh under pressure, against the real identity provider (which rotates refresh tokens and
 * revokes the whole grant when a used one comes back) with the real MSAL and google-auth-library.
 */

/** Keychain names of a Send Direct sign-in (secret-store.ts). */
const keychainItem: Readonly<Record<'office365' | 'google', string>> = { office365: 'oauth/send/msal-cache', google: 'oauth/send/tokens' };

/** A timer the test moves: `elapse()` plays "one interval has passed". */
function manualTimer(): { readonly repeat: RepeatingTimer; readonly intervals: number[]; elapse(): void; readonly running: () => boolean } {
  const intervals: number[] = [];
  let task: (() => void) | null = null;
  return {
    intervals,
    repeat: (intervalMs, next) => {
      intervals.push(intervalMs);
      task = next;
      return () => (task = null);
    },
    elapse: () => task?.(),
    running: () => task !== null,
  };
}

/** The refresh token kept in the keychain, read the way the app reads it (through its SecretStore). */
async function keptRefreshToken(secrets: SecretStore, kind: 'office365' | 'google'): Promise<string | undefined> {
  const stored = JSON.parse((await secrets.get(keychainItem[kind])) ?? '{}') as { refreshToken?: string; RefreshToken?: Record<string, { secret: string }> };
  return kind === 'google' ? stored.refreshToken : Object.values(stored.RefreshToken ?? {})[0]?.secret;
}

describe('silent refresh under pressure', () => {
  let dataDir: string;
  let user: TestUser;
  let runtime: Runtime | undefined;
  let states: AccountState[];

  const start = async (options: { accountCheckIntervalMs?: number } = {}): Promise<Runtime> => {
    const window = scriptedSignInWindow(() => ({ user }));
    // Office 365 signs in in the popup, Google in the "system browser": both play the same scripted user.
    runtime = await startLocalRuntime(dataDir, {
      popupOpener: window,
      externalOpener: { open: async (url: URL) => void (await window.open(url.href, '')) },
      signInTimeoutMs: 20_000,
      ...options,
    });
    runtime.services.events.on('accountStateChanged', (state) => states.push(state));
    return runtime;
  };
  const signIn = async (running: Runtime, kind: ProviderKind): Promise<void> => {
    const result = await running.services.accounts.signIn('send', { kind, clientId: undefined, clientSecret: undefined, tenant: undefined, issuer: undefined, loginHint: undefined }, 'popup');
    expect(result).toMatchObject({ ok: true, value: { status: 'signed-in', username: user.email } });
  };
  /** This user's calls of the token endpoint with a refresh token (other test files refresh in parallel). */
  const refreshGrants = async () => idpControl.grantLog({ user: user.email, grantType: 'refresh_token' });
  const newestIssuedRefreshToken = async () =>
    (await idpControl.issuedTokens()).filter((token) => token.kind === 'RefreshToken' && token.accountId === user.email.toLowerCase()).at(-1)?.value;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-refresh-'));
    user = await addUser(`refresh-${randomUUID().slice(0, 8)}@example.test`);
    states = [];
  });
  afterEach(async () => {
    await runtime?.services.accounts.reset('send');
    await runtime?.stop();
    runtime = undefined;
    await idpControl.resetTtl(user.email);
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('the account monitor', () => {
    it('notices a grant revoked at the provider within one interval: needs-reauth, with an event', async () => {
      const running = await start();
      await signIn(running, 'office365');
      const timer = manualTimer();
      const stop = running.services.accounts.startMonitor(15 * 60_000, timer.repeat);
      expect(timer.intervals).toEqual([15 * 60_000]);

      await idpControl.revokeUser(user.email);
      states = [];
      timer.elapse();
      await expect.poll(() => states.at(-1), { timeout: 15_000 }).toMatchObject({ status: 'needs-reauth', username: user.email, reason: { code: 'GRANT_EXPIRED' } });
      expect(await running.services.accounts.state('send')).toMatchObject({ ok: true, value: { status: 'needs-reauth' } });
      stop();
      expect(timer.running()).toBe(false);
    });

    it('runs on the runtime’s own timer when an interval is configured', async () => {
      // A short real interval: only "it happens", never "how fast" is asserted.
      const running = await start({ accountCheckIntervalMs: 200 });
      await signIn(running, 'office365');
      await idpControl.revokeUser(user.email);
      await expect.poll(() => states.at(-1)?.status, { timeout: 15_000 }).toBe('needs-reauth');
    });
  });

  describe.each(['office365', 'google'] as const)('%s: token requests at the same time', (kind) => {
    it('two forced refreshes at once make one refresh grant; the rotated refresh token is kept and works', async () => {
      const running = await start();
      await signIn(running, kind);
      const before = (await refreshGrants()).length;

      const [first, second] = await Promise.all([
        running.services.accounts.accessToken('send', { forceRefresh: true }),
        running.services.accounts.accessToken('send', { forceRefresh: true }),
      ]);
      expect(first).toMatchObject({ ok: true });
      expect(second).toEqual(first);
      expect((await refreshGrants()).slice(before)).toMatchObject([{ status: 200 }]);

      // The keychain holds the refresh token of that grant, the newest one: the one before it is spent.
      expect(await keptRefreshToken(running.services.deps.secrets, kind)).toBe(await newestIssuedRefreshToken());
      expect(await running.services.accounts.accessToken('send', { forceRefresh: true })).toMatchObject({ ok: true });
      expect((await refreshGrants()).slice(before)).toMatchObject([{ status: 200 }, { status: 200 }]);
    });

    it('two requests at once with an access token about to expire make one refresh grant', async () => {
      // 60 s is inside both libraries' 5-minute renewal margin: every token request refreshes, no waiting.
      await idpControl.setTtl({ AccessToken: 60 }, user.email);
      const running = await start();
      await signIn(running, kind);
      const before = (await refreshGrants()).length;

      const results = await Promise.all([running.services.accounts.accessToken('send'), running.services.accounts.accessToken('send')]);
      expect(results).toMatchObject([{ ok: true }, { ok: true }]);
      expect((await refreshGrants()).slice(before)).toMatchObject([{ status: 200 }]);
    });

    it('a forced refresh asked while a silent one runs waits for it: the refresh token is never used twice', async () => {
      await idpControl.setTtl({ AccessToken: 60 }, user.email);
      const running = await start();
      await signIn(running, kind);
      const before = (await refreshGrants()).length;

      const results = await Promise.all([running.services.accounts.accessToken('send'), running.services.accounts.accessToken('send', { forceRefresh: true })]);
      expect(results).toMatchObject([{ ok: true }, { ok: true }]);
      expect((await refreshGrants()).slice(before)).toMatchObject([{ status: 200 }, { status: 200 }]);
      expect(await running.services.accounts.state('send')).toMatchObject({ ok: true, value: { status: 'signed-in' } });
      expect(await keptRefreshToken(running.services.deps.secrets, kind)).toBe(await newestIssuedRefreshToken());
    });

    it('a valid cached access token is reused without a grant', async () => {
      const running = await start();
      await signIn(running, kind);
      const before = (await refreshGrants()).length;
      const signedIn = await running.services.accounts.state('send');

      const first = await running.services.accounts.accessToken('send');
      const together = await Promise.all([running.services.accounts.accessToken('send'), running.services.accounts.accessToken('send')]);
      expect(first).toMatchObject({ ok: true });
      expect(together).toEqual([first, first]);
      expect((await refreshGrants()).length).toBe(before);
      expect(await running.services.accounts.state('send')).toEqual(signedIn);
    });
  });

  describe('a second sign-in while one is open', () => {
    it('is refused with SIGN_IN_IN_PROGRESS, and the open one finishes undisturbed', async () => {
      const running = await start();
      const options = { kind: 'office365', clientId: undefined, clientSecret: undefined, tenant: undefined, issuer: undefined, loginHint: undefined } as const;
      const open = running.services.accounts.signIn('send', options, 'popup');
      const second = await running.services.accounts.signIn('send', { ...options, kind: 'google' }, 'browser');
      expect(second).toMatchObject({ ok: false, error: { code: 'SIGN_IN_IN_PROGRESS', fix: expect.stringMatching(/Finish or close/) } });
      expect(await open).toMatchObject({ ok: true, value: { status: 'signed-in', provider: 'office365', username: user.email } });
    });
  });

  describe.each(['office365', 'google'] as const)('%s: a damaged sign-in in the keychain', (kind) => {
    it('an item that is not JSON: a clear error to sign in again, needs-reauth, and signing in again replaces it', async () => {
      const running = await start();
      await signIn(running, kind);
      await running.services.deps.secrets.set(keychainItem[kind], 'this is not JSON {');

      const result = await running.services.accounts.accessToken('send', { forceRefresh: true });
      expect(result).toMatchObject({ ok: false, error: { code: 'GRANT_EXPIRED', message: expect.stringMatching(/can’t be read/), fix: expect.stringMatching(/sign in again/) } });
      expect(states.at(-1)).toMatchObject({ status: 'needs-reauth', reason: { code: 'GRANT_EXPIRED' } });

      await signIn(running, kind);
      expect(await running.services.accounts.accessToken('send', { forceRefresh: true })).toMatchObject({ ok: true });
    });

    it('tokens without a refresh token: a clear error to sign in again, needs-reauth', async () => {
      const running = await start();
      await signIn(running, kind);
      const secrets = running.services.deps.secrets;
      const stored = JSON.parse((await secrets.get(keychainItem[kind])) ?? '{}') as Record<string, unknown>;
      if (kind === 'google') delete stored['refreshToken'];
      else stored['RefreshToken'] = {};
      await secrets.set(keychainItem[kind], JSON.stringify(stored));

      const result = await running.services.accounts.accessToken('send', { forceRefresh: true });
      expect(result).toMatchObject({ ok: false, error: { code: 'GRANT_EXPIRED', fix: expect.stringMatching(/sign in again/) } });
      expect(states.at(-1)).toMatchObject({ status: 'needs-reauth', reason: { code: 'GRANT_EXPIRED' } });
    });
  });
});
