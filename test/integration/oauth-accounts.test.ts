import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { SignInWindowOpener } from '../../src/main/oauth/sign-in-window';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import type { AccountState } from '../../src/shared/accounts';
import { localProviders, scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { addUser, idpControl, introspectViaBridge, secretToolLookup, testbed, type TestUser } from '../testbed/client';

/**
 * The account service against the real identity provider, with the real MSAL and google-auth-library
 * pointed at it by configuration only. The "user" here fills the real login, TOTP and consent pages
 * over HTTP (the e2e tests do the same in Chromium through the UI).
 */
/** An HTTPS server with a self-signed certificate nobody trusts, posing as an identity provider. */
async function selfSignedHttpsServer(dir: string): Promise<{ url: string; close: () => void }> {
  const key = join(dir, 'idp.key');
  const cert = join(dir, 'idp.crt');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  const server = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (_request, response) => response.end('{}'));
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() };
}

async function filesContaining(dir: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const text = (await readFile(path)).toString('latin1');
    if (needles.some((needle) => text.includes(needle))) hits.push(path);
  }
  return hits;
}

describe('Modern Authentication: accounts against the local identity provider', () => {
  let dataDir: string;
  let user: TestUser;
  let runtime: Runtime;
  let events: AccountState[];
  const start = (popup: SignInWindowOpener | null, browser?: SignInWindowOpener) =>
    startLocalRuntime(dataDir, {
      popupOpener: popup,
      externalOpener: { open: async (url: URL) => void (await browser?.open(url.href, '')) },
      signInTimeoutMs: 20_000,
    });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-oauth-'));
    user = await addUser(`oauth-${randomUUID().slice(0, 8)}@example.test`);
    events = [];
  });
  afterEach(async () => {
    await runtime?.services.accounts.reset('send');
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('Office 365 (MSAL): popup sign-in, tokens only in the keychain, silent refresh, revocation noticed, reset', async () => {
    const opener = scriptedSignInWindow(() => ({ user }));
    const { shown } = opener;
    runtime = await start(opener);
    runtime.services.events.on('accountStateChanged', (state) => events.push(state));

    const signedIn = await runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'office365' }, via: 'popup' } as never);
    expect(signedIn).toMatchObject({ ok: true, value: { status: 'signed-in', provider: 'office365', username: user.email } });
    const authorizeUrl = new URL(shown[0] ?? '');
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(authorizeUrl.searchParams.get('scope')).toContain('https://outlook.office.com/SMTP.Send');

    // The token cache is in the keychain; a token from it is one the mail servers accept.
    expect(await secretToolLookup(keychainServiceFor(dataDir), 'oauth/send/msal-cache')).toContain('"RefreshToken"');
    const token = await runtime.services.accounts.accessToken('send');
    if (!token.ok) throw new Error(token.error.message);
    expect(await introspectViaBridge(token.value.accessToken)).toMatchObject({ active: true, username: user.email });

    // A restart signs nobody out.
    await runtime.stop();
    runtime = await start(opener);
    expect(await runtime.handlers.getAccountState({ mailbox: 'send' })).toMatchObject({ ok: true, value: { status: 'signed-in', username: user.email } });

    // An expired access token is refreshed silently: the IdP sees a refresh grant.
    // The grant log is shared by parallel test files: count only this user's successful refreshes.
    const refreshes = async () => (await idpControl.grantLog({ user: user.email, grantType: 'refresh_token' })).filter((g) => g.status === 200).length;
    const before = await refreshes();
    const forced = await runtime.services.accounts.accessToken('send', { forceRefresh: true });
    expect(forced.ok).toBe(true);
    expect(await refreshes()).toBe(before + 1);

    // Revoked at the provider: the next check says "needs re-authentication", with an event, no restart.
    runtime.services.events.on('accountStateChanged', (state) => events.push(state));
    await idpControl.revokeUser(user.email);
    const checked = await runtime.handlers.checkAccount({ mailbox: 'send' });
    expect(checked).toMatchObject({ ok: true, value: { status: 'needs-reauth', reason: { code: 'GRANT_EXPIRED' } } });
    expect(events.at(-1)).toMatchObject({ status: 'needs-reauth', username: user.email });
    expect(await runtime.services.accounts.accessToken('send')).toMatchObject({ ok: false, error: { code: 'GRANT_EXPIRED' } });

    // Reset: signed out, keychain item gone.
    expect(await runtime.handlers.resetAccount({ mailbox: 'send' })).toMatchObject({ ok: true, value: { status: 'signed-out' } });
    expect(await secretToolLookup(keychainServiceFor(dataDir), 'oauth/send/msal-cache')).toBeNull();

    // Nothing the IdP issued is in any file of the data directory.
    const issued = (await idpControl.issuedTokens()).map((t) => t.value).filter((value) => value.length > 10);
    await runtime.services.logger.flush();
    expect(await filesContaining(dataDir, issued)).toEqual([]);
  });

  it('Google (google-auth-library): system browser, 127.0.0.1 redirect, rotation saved, revocation at reset', async () => {
    const browser = scriptedSignInWindow(() => ({ user }));
    const { shown } = browser;
    runtime = await start(null, browser);
    const signedIn = await runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'google' }, via: 'popup' } as never);
    expect(signedIn).toMatchObject({ ok: true, value: { status: 'signed-in', provider: 'google', username: user.email } });
    expect(new URL(shown[0] ?? '').searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const stored = JSON.parse((await secretToolLookup(keychainServiceFor(dataDir), 'oauth/send/tokens')) ?? '{}') as { refreshToken: string };
    const refreshed = await runtime.services.accounts.accessToken('send', { forceRefresh: true });
    expect(refreshed.ok).toBe(true);
    const rotated = JSON.parse((await secretToolLookup(keychainServiceFor(dataDir), 'oauth/send/tokens')) ?? '{}') as { refreshToken: string };
    expect(rotated.refreshToken).not.toBe(stored.refreshToken);
    // The rotated token is the live one: a second refresh works (the old one would revoke the grant).
    expect((await runtime.services.accounts.accessToken('send', { forceRefresh: true })).ok).toBe(true);

    await runtime.handlers.resetAccount({ mailbox: 'send' });
    expect(await secretToolLookup(keychainServiceFor(dataDir), 'oauth/send/tokens')).toBeNull();
    if (refreshed.ok) expect(await introspectViaBridge(refreshed.value.accessToken)).toMatchObject({ active: false });
  });

  it('deny at consent: a clear message, nothing stored', async () => {
    const opener = scriptedSignInWindow(() => ({ user, consent: 'deny' }));
    runtime = await start(opener);
    const result = await runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'office365' }, via: 'popup' } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED', fix: expect.stringMatching(/Accept/) } });
    expect(await secretToolLookup(keychainServiceFor(dataDir), 'oauth/send/msal-cache')).toBeNull();
    expect(await runtime.handlers.getAccountState({ mailbox: 'send' })).toMatchObject({ ok: true, value: { status: 'signed-out' } });
  });

  it('closing the popup cancels cleanly, and the next sign-in works', async () => {
    let attempt = 0;
    const opener = scriptedSignInWindow(() => (attempt++ === 0 ? 'close' : { user }));
    runtime = await start(opener);
    const request = { mailbox: 'send', provider: { kind: 'office365' }, via: 'popup' } as never;
    expect(await runtime.handlers.signIn(request)).toMatchObject({ ok: false, error: { code: 'SIGN_IN_CANCELLED' } });
    expect(await runtime.handlers.signIn(request)).toMatchObject({ ok: true, value: { status: 'signed-in' } });
  });

  it('"Sign in with your web browser instead": the popup closes, the same sign-in finishes in the browser', async () => {
    let popupClosed = false;
    let closePopup: () => void = () => undefined;
    const idlePopup: SignInWindowOpener = {
      open: async () => ({
        closed: new Promise<void>((resolve) => (closePopup = resolve)),
        close: () => {
          popupClosed = true;
          closePopup(); // the window reports "closed" as a real one would: it must not cancel now
        },
      }),
    };
    const browser = scriptedSignInWindow(() => ({ user }));
    runtime = await start(idlePopup, browser);
    const links: string[] = [];
    runtime.services.events.on('signInProgress', ({ url }) => links.push(url));
    const pending = runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'office365' }, via: 'popup' } as never);
    await expect.poll(() => links.length).toBe(1);
    expect(await runtime.handlers.continueSignInInBrowser({ mailbox: 'send' })).toEqual({ ok: true, value: undefined });
    expect(await pending).toMatchObject({ ok: true, value: { status: 'signed-in', username: user.email } });
    expect(popupClosed).toBe(true);
    expect(browser.shown).toEqual(links);
  });

  it('a sign-in nobody finishes times out with a message', async () => {
    runtime = await startLocalRuntime(dataDir, { signInTimeoutMs: 300 });
    const result = await runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'office365' }, via: 'link' } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'SIGN_IN_TIMED_OUT' } });
  });

  it('an identity provider whose certificate is not trusted: a TLS message', async () => {
    const untrusted = await selfSignedHttpsServer(dataDir);
    runtime = await startLocalRuntime(dataDir, { providerDefaults: { ...localProviders(), office365: { clientId: 'x', authority: untrusted.url } }, signInTimeoutMs: 2000 });
    const result = await runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'office365' }, via: 'link' } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'IDENTITY_PROVIDER_TLS', fix: expect.stringMatching(/date and time|certificate/) } });
    untrusted.close();
  });

  it('a generic OpenID Connect provider (issuer + client id + secret), in the system browser', async () => {
    const { idp } = testbed();
    const browser = scriptedSignInWindow(() => ({ user }));
    runtime = await start(null, browser);
    const provider = { kind: 'oidc', issuer: idp.endpoints.issuer, clientId: idp.clients.google.clientId, clientSecret: idp.clients.google.clientSecret };
    const signedIn = await runtime.handlers.signIn({ mailbox: 'send', provider, via: 'browser' } as never);
    expect(signedIn).toMatchObject({ ok: true, value: { status: 'signed-in', provider: 'oidc', username: user.email } });
    // The client secret went to the keychain, bound to its issuer, not to the settings file.
    const storedSecret = JSON.parse((await secretToolLookup(keychainServiceFor(dataDir), 'oauth/send/client-secret')) ?? '{}') as unknown;
    expect(storedSecret).toEqual({ issuer: idp.endpoints.issuer, secret: idp.clients.google.clientSecret });
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).not.toContain(idp.clients.google.clientSecret);
    expect((await runtime.services.accounts.accessToken('send', { forceRefresh: true })).ok).toBe(true);
  });
});
