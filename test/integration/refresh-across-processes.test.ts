import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshLockPathOf } from '../../src/main/accounts/refresh-lock';
import { tryAcquireFileLock } from '../../src/main/locks/file-lock';
import type { Runtime } from '../../src/main/node-runtime';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import type { ProviderKind } from '../../src/shared/accounts';
import type { BuiltChildScript } from '../support/build-child-script';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { localProviders, scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { buildAccessTokenChild, concurrentAccessTokens } from '../support/refresh-children';
import { addUser, idpControl, imapClient, introspectViaBridge, testbed, type TestUser } from '../testbed/client';

/**
 * Token refresh serialised across processes: the app, `serve` and a cron `retrieve` share a data
 * directory and its keychain entries. The identity provider rotates refresh tokens and revokes the whole
 * grant when a spent one comes back (RFC 6819 §5.2.2.3), as Entra and Google do: two programs refreshing
 * with the same refresh token would kill the sign-in. Real child processes, real keychain, real MSAL and
 * google-auth-library against the local identity provider.
 */

const mailbox = 'lead';
/** The Lead Inbox's tokens in the keychain (secret-store.ts). */
const tokensItem: Readonly<Record<'office365' | 'google', string>> = { office365: 'oauth/lead/msal-cache', google: 'oauth/lead/tokens' };
/** How long a child's first keychain write is held while the other may still read (see concurrentAccessTokens). */
const holdWriteMs = 2_000;

/** The refresh token kept in the keychain, read the way the app reads it (through its SecretStore). */
async function keptRefreshToken(secrets: SecretStore, kind: 'office365' | 'google'): Promise<string | undefined> {
  const stored = JSON.parse((await secrets.get(tokensItem[kind])) ?? '{}') as { refreshToken?: string; RefreshToken?: Record<string, { secret: string }> };
  return kind === 'google' ? stored.refreshToken : Object.values(stored.RefreshToken ?? {})[0]?.secret;
}

/** Makes the kept access token expired, as it is an hour after the last refresh. */
async function expireKeptAccessToken(secrets: SecretStore, kind: 'office365' | 'google'): Promise<void> {
  const stored = JSON.parse((await secrets.get(tokensItem[kind])) ?? '{}') as Record<string, unknown>;
  const past = Math.floor(Date.now() / 1000) - 60;
  if (kind === 'google') stored['expiresAt'] = past * 1000;
  for (const token of Object.values((stored['AccessToken'] ?? {}) as Record<string, Record<string, string>>)) {
    token['expires_on'] = String(past);
    token['extended_expires_on'] = String(past);
  }
  await secrets.set(tokensItem[kind], JSON.stringify(stored));
}

let child: BuiltChildScript;
beforeAll(async () => {
  child = await buildAccessTokenChild();
});
afterAll(() => child.dispose());

describe.each(['office365', 'google'] as const)('%s: programs on one data directory refresh one at a time', (kind: ProviderKind & ('office365' | 'google')) => {
  let dataDir: string;
  let user: TestUser;
  let runtime: Runtime;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-refresh-processes-'));
    user = await addUser(`processes-${randomUUID().slice(0, 8)}@example.test`);
    const window = scriptedSignInWindow(() => ({ user }));
    runtime = await startLocalRuntime(dataDir, { popupOpener: window, externalOpener: { open: async (url: URL) => void (await window.open(url.href, '')) }, signInTimeoutMs: 20_000 });
    const signedIn = await runtime.services.accounts.signIn(mailbox, { kind, clientId: undefined, clientSecret: undefined, tenant: undefined, issuer: undefined, loginHint: undefined }, 'popup');
    expect(signedIn).toMatchObject({ ok: true, value: { status: 'signed-in' } });
  });
  afterEach(async () => {
    await runtime.stop();
    await clearKeychainOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  const refreshGrants = () => idpControl.grantLog({ user: user.email, grantType: 'refresh_token' });
  const newestIssuedRefreshToken = async () =>
    (await idpControl.issuedTokens()).filter((token) => token.kind === 'RefreshToken' && token.accountId === user.email.toLowerCase()).at(-1)?.value;
  const inTwoProcesses = (forceRefresh: boolean) =>
    concurrentAccessTokens(
      child,
      [1, 2].map(() => ({ dataDir, providerDefaults: localProviders(), mailbox, forceRefresh, slowWritesOf: tokensItem[kind] })),
      holdWriteMs,
    );

  /** One refresh at the provider, both programs hold a token the mail server accepts, and the grant lives on. */
  async function expectOneRefreshAndALiveGrant(results: Awaited<ReturnType<typeof inTwoProcesses>>, grantsBefore: number): Promise<void> {
    const grants = (await refreshGrants()).slice(grantsBefore);
    expect(grants.map((grant) => grant.status)).toEqual([200]);
    for (const result of results) {
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      expect((await introspectViaBridge(result.value.accessToken)).active).toBe(true);
    }
    const [first] = results;
    if (!first?.ok) throw new Error('no token');
    const imap = imapClient({ user: user.email, accessToken: first.value.accessToken }, { server: testbed().dovecotXoauth2Only });
    await imap.connect();
    await imap.logout();

    // The keychain holds the refresh token the provider issued last, and it still works: the grant was not revoked.
    const secrets = runtime.services.deps.secrets;
    expect(await keptRefreshToken(secrets, kind)).toBe(await newestIssuedRefreshToken());
    expect(await runtime.services.accounts.accessToken(mailbox, { forceRefresh: true })).toMatchObject({ ok: true });
    expect(await runtime.services.accounts.state(mailbox)).toMatchObject({ ok: true, value: { status: 'signed-in' } });
  }

  it('forced (a server refused the token): exactly one refresh grant; the second process uses the first one’s token', async () => {
    const grantsBefore = (await refreshGrants()).length;
    const results = await inTwoProcesses(true);
    await expectOneRefreshAndALiveGrant(results, grantsBefore);
  });

  it('expired: exactly one refresh grant; the second process reads the keychain again and finds a fresh token', async () => {
    await expireKeptAccessToken(runtime.services.deps.secrets, kind);
    const grantsBefore = (await refreshGrants()).length;
    const results = await inTwoProcesses(false);
    await expectOneRefreshAndALiveGrant(results, grantsBefore);
  });

  it('a token still good is handed out without the lock: a refresh that hangs elsewhere holds nobody up', async () => {
    const held = await tryAcquireFileLock(refreshLockPathOf(dataDir, mailbox));
    if (!held.acquired) throw new Error('the refresh lock is taken');
    try {
      // Waiting for this lock would take until the test's timeout: answering proves the lock was not needed.
      expect(await runtime.services.accounts.accessToken(mailbox)).toMatchObject({ ok: true });
    } finally {
      await held.lock.release();
    }
  });

  it('a refresh lock left by a program that crashed is taken over at once', async () => {
    const crashed = spawnSync(process.execPath, ['-e', '0']).pid;
    const path = refreshLockPathOf(dataDir, mailbox);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify({ pid: crashed, host: hostname(), startedAt: new Date().toISOString(), token: 'crashed' }));
    const grantsBefore = (await refreshGrants()).length;
    expect(await runtime.services.accounts.accessToken(mailbox, { forceRefresh: true })).toMatchObject({ ok: true });
    expect((await refreshGrants()).length).toBe(grantsBefore + 1);
  });
});
