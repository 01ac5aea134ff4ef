import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import { credentialManagerMaxBlobBytes } from '../../src/main/secrets/chunked-secret-store';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import { credentialManagerSizedStore } from '../support/credential-manager-sized-store';
import { scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { addUser, idpControl, introspectViaBridge, type TestUser } from '../testbed/client';

/** Sizes of Entra's tokens: an access token (a JWT) of about 2 KB, a refresh token of about 1.5 KB. */
const entraSized = { AccessToken: 2048, RefreshToken: 1500 } as const;
const cacheAccount = 'oauth/send/msal-cache';

async function cacheEntries(keychain: SecretStore): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for (const name of await keychain.accounts()) {
    if (name.startsWith(cacheAccount)) entries.set(name, (await keychain.get(name)) ?? '');
  }
  return entries;
}

/**
 * Windows Credential Manager keeps at most 2,560 bytes a secret. The whole Office 365 sign-in (real MSAL
 * against the local IdP, tokens as large as Entra's) and a silent refresh, on the real keyring behind a
 * store that refuses what Credential Manager refuses: the token cache must be stored in parts.
 */
describe('an Office 365 token cache larger than one Credential Manager entry', () => {
  let dataDir: string;
  let user: TestUser;
  let runtime: Runtime | undefined;
  let keychain: SecretStore;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-chunked-'));
    user = await addUser(`chunked-${randomUUID().slice(0, 8)}@example.test`);
    await idpControl.setTokenLength(entraSized, user.email);
    keychain = createKeytarSecretStore(keychainServiceFor(dataDir));
  });
  afterEach(async () => {
    await runtime?.services.accounts.reset('send');
    await runtime?.stop();
    runtime = undefined;
    for (const name of await keychain.accounts()) await keychain.delete(name);
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = () => {
    const sized = credentialManagerSizedStore(keychain);
    return startLocalRuntime(dataDir, { secrets: sized, popupOpener: scriptedSignInWindow(() => ({ user })), signInTimeoutMs: 20_000 });
  };

  it('signs in, stores the cache in parts under 2,560 bytes, refreshes silently, and reset removes every part', async () => {
    runtime = await start();
    const signedIn = await runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'office365' }, via: 'popup' } as never);
    expect(signedIn).toMatchObject({ ok: true, value: { status: 'signed-in', username: user.email } });

    const token = await runtime.services.accounts.accessToken('send');
    if (!token.ok) throw new Error(token.error.message);
    expect(token.value.accessToken.length).toBeGreaterThanOrEqual(entraSized.AccessToken);
    expect(await introspectViaBridge(token.value.accessToken)).toMatchObject({ active: true, username: user.email });

    // In the keychain: a manifest under the cache's name and its parts, each small enough for Windows.
    const stored = await cacheEntries(keychain);
    const parts = [...stored.keys()].filter((name) => name !== cacheAccount);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const value of stored.values()) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(credentialManagerMaxBlobBytes);
    expect([...stored.values()].join('')).toContain(token.value.accessToken.slice(0, 100));
    // The services see one secret.
    expect(await runtime.services.deps.secrets.accounts()).toEqual([cacheAccount]);

    // A restart reads the cache back from its parts; a forced refresh rotates the tokens and rewrites it.
    await runtime.stop();
    runtime = await start();
    expect(await runtime.handlers.getAccountState({ mailbox: 'send' })).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    const refreshes = async () => (await idpControl.grantLog({ user: user.email, grantType: 'refresh_token' })).filter((g) => g.status === 200).length;
    const before = await refreshes();
    const refreshed = await runtime.services.accounts.accessToken('send', { forceRefresh: true });
    if (!refreshed.ok) throw new Error(refreshed.error.message);
    expect(await refreshes()).toBe(before + 1);
    expect(refreshed.value.accessToken).not.toBe(token.value.accessToken);
    expect(await introspectViaBridge(refreshed.value.accessToken)).toMatchObject({ active: true });

    // The refreshed cache replaced the old parts: one generation, none of the old part names left.
    const rewritten = await cacheEntries(keychain);
    const newParts = [...rewritten.keys()].filter((name) => name !== cacheAccount);
    expect(newParts.length).toBeGreaterThanOrEqual(2);
    expect(newParts.some((name) => parts.includes(name))).toBe(false);
    expect(new Set(newParts.map((name) => name.replace(/\/\d+$/, ''))).size).toBe(1);

    expect(await runtime.handlers.resetAccount({ mailbox: 'send' })).toMatchObject({ ok: true, value: { status: 'signed-out' } });
    expect([...(await cacheEntries(keychain)).keys()]).toEqual([]);
  });
});
