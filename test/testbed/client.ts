import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chown, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';
import { askBridge, type BridgeAnswer } from './bridge';
import type { SizedTokenKind } from './idp';
import type { DovecotInfo, GrantLogEntry, IdpClientInfo, IssuedToken, TestbedInfo, TestUser, TtlKind } from './info';
import type { SavedEnvelope } from './smtp-server';
import { secretToolLookup as lookupOnBus } from './keyring';
import { requireBinaries } from './proc';
import { totpCodeFor } from './users';

/**
 * Helpers for tests (run inside vitest workers): everything reads the connection info the global setup
 * provided, so tests never hard-code ports or paths.
 */

export type { DovecotInfo, GrantLogEntry, IdpClientInfo, IssuedToken, TestbedInfo, TestUser, TtlKind } from './info';
export type { SavedEnvelope } from './smtp-server';

/** The connection info of the running test bed. */
export function testbed(): TestbedInfo {
  return inject('testbed');
}

/** `secret-tool lookup service <service> account <account>` on the test bed's keyring bus; null if absent. */
export function secretToolLookup(service: string, account: string): Promise<string | null> {
  return lookupOnBus(service, account, testbed().keyring.busAddress);
}

/** How a child process should fail to find a keychain. */
export type NoKeychainKind =
  /** A session bus exists but nothing owns org.freedesktop.secrets on it. */
  | 'bus-without-keyring'
  /** No session bus at all (and no X display to autolaunch one). */
  | 'no-bus';

/**
 * A full env for a child process that must see no usable keychain. keytar's D-Bus connection is made
 * once per process, so the "keychain unavailable" path can only be tested in a separate process.
 */
export function envWithoutKeychain(kind: NoKeychainKind, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { keyring } = testbed();
  const env: NodeJS.ProcessEnv = { ...base };
  delete env['DISPLAY'];
  delete env['WAYLAND_DISPLAY'];
  // An empty runtime dir: libdbus/gdbus would otherwise fall back to $XDG_RUNTIME_DIR/bus.
  env['XDG_RUNTIME_DIR'] = keyring.emptyRuntimeDir;
  if (kind === 'no-bus') delete env['DBUS_SESSION_BUS_ADDRESS'];
  else env['DBUS_SESSION_BUS_ADDRESS'] = keyring.bareBusAddress;
  return env;
}

/**
 * A full env for a child process that must use the keyring on `busAddress` (one a test started itself,
 * see startKeyring in keyring.ts) and nothing else: no display, so no unlock prompt can show either.
 */
export function envOnBus(busAddress: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, DBUS_SESSION_BUS_ADDRESS: busAddress, XDG_RUNTIME_DIR: testbed().keyring.emptyRuntimeDir };
  delete env['DISPLAY'];
  delete env['WAYLAND_DISPLAY'];
  return env;
}

/** Outcome of one set/get/delete round trip through the app's keytar SecretStore in a child process. */
export type KeychainProbeResult =
  | { readonly ok: true; readonly read: string | null }
  | { readonly ok: false; readonly name: string; readonly code?: string; readonly message: string; readonly fix?: string };

/**
 * Runs test/testbed/keychain-probe.ts in a child Node (the project's TypeScript, loaded through
 * ts-hooks.mjs) with the given env, and returns what the store did.
 */
export function runKeychainProbe(env: NodeJS.ProcessEnv, account = 'testbed/probe'): Promise<KeychainProbeResult> {
  return runProbeChild<KeychainProbeResult>(env, [account, 'round-trip']);
}

/** One operation of the app's SecretStore (set stores "probe-secret"). */
export type KeychainOperation = 'get' | 'set' | 'delete' | 'accounts';

/** What one SecretStore operation resolved to in a child process, or the error it threw. */
export type KeychainOperationResult =
  | { readonly ok: true; readonly value: string | boolean | string[] | null }
  | { readonly ok: false; readonly name: string; readonly code?: string; readonly message: string; readonly fix?: string };

/**
 * Runs one operation of the app's keytar SecretStore in a child process with the given env. A process
 * per operation: libsecret keeps its first D-Bus connection, and a crash of one operation (a signal, not
 * an error) must show as that operation's failure.
 */
export function runKeychainOperation(env: NodeJS.ProcessEnv, operation: KeychainOperation, account = 'testbed/probe'): Promise<KeychainOperationResult> {
  return runProbeChild<KeychainOperationResult>(env, [account, operation]);
}

function runProbeChild<T>(env: NodeJS.ProcessEnv, probeArgs: readonly string[]): Promise<T> {
  const here = import.meta.dirname;
  const args = [
    '--experimental-transform-types',
    '--no-warnings',
    '--import',
    join(here, 'ts-hooks.mjs'),
    join(here, 'keychain-probe.ts'),
    'Mail Settings',
    ...probeArgs,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`keychain probe failed: ${error.message} (signal ${error.signal ?? 'none'})\n${stderr}`, { cause: error }));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim()) as T);
      } catch (parseError) {
        reject(new Error(`keychain probe printed no JSON: ${stdout}\n${stderr}`, { cause: parseError }));
      }
    });
  });
}

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${testbed().controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const value = (await response.json()) as T | { error: string };
  if (!response.ok) throw new Error(`test-control ${method} ${path}: ${(value as { error: string }).error}`);
  return value as T;
}

/**
 * Adds a mail user known at once to Dovecot, smtp-server and the IdP (with a TOTP secret). Use a
 * unique address per test (e.g. with randomUUID()) so tests running in parallel don't share state.
 */
export function addUser(email: string, password?: string): Promise<TestUser> {
  return control<TestUser>('POST', '/users', { email, ...(password === undefined ? {} : { password }) });
}

/** A user present from the start (alice@, bob@, carol@example.test); prefer addUser for isolation. */
export function initialUser(email: string): TestUser {
  const user = testbed().users.find((u) => u.email === email);
  if (!user) throw new Error(`no initial test user ${email}`);
  return user;
}

/** The current TOTP code of a user (as their authenticator app would show it). */
export function totpCode(user: Pick<TestUser, 'totpSecret'>, timestamp = Date.now()): string {
  return totpCodeFor(user.totpSecret, timestamp);
}

const userQuery = (user?: string): string => (user === undefined ? '' : `?user=${encodeURIComponent(user)}`);

/** Runtime knobs of the IdP (shared by all test files of the run, which may run in parallel). */
export const idpControl = {
  /**
   * Sets token lifetimes (whole seconds) for tokens issued from now on. Pass `user` (strongly
   * preferred) to change them only for that user's tokens; without it the change hits every test
   * running in parallel: then reset it in afterEach.
   */
  setTtl: (ttl: Partial<Record<TtlKind, number>>, user?: string) => control<Record<TtlKind, number>>('PUT', `/idp/ttl${userQuery(user)}`, ttl),
  /** Back to defaults: only `user`'s overrides when given, else everything. */
  resetTtl: (user?: string) => control<Record<TtlKind, number>>('DELETE', `/idp/ttl${userQuery(user)}`),
  ttl: (user?: string) => control<Record<TtlKind, number>>('GET', `/idp/ttl${userQuery(user)}`),
  /** Makes `user`'s access and refresh tokens this many characters long from now on (Entra's are ~2 KB and ~1.5 KB). */
  setTokenLength: (lengths: Partial<Record<SizedTokenKind, number>>, user: string) => control<object>('PUT', `/idp/token-length${userQuery(user)}`, lengths),
  /**
   * Token-endpoint calls so far (grant_type, client, account, status, error). Other test files run in
   * parallel: filter by your own user instead of counting global entries.
   */
  grantLog: async (filter: { user?: string; grantType?: string; since?: number } = {}) =>
    (await control<GrantLogEntry[]>('GET', '/idp/grants')).filter(
      (entry) =>
        (filter.user === undefined || entry.accountId === filter.user.toLowerCase()) &&
        (filter.grantType === undefined || entry.grantType === filter.grantType) &&
        (filter.since === undefined || entry.at >= filter.since),
    ),
  /** Deletes every grant, session and token of the user (refresh -> invalid_grant, introspection -> inactive). */
  revokeUser: (email: string) => control<{ deleted: number }>('POST', '/idp/revoke-user', { email }),
  /** Every token value handed out so far (access, refresh, codes, ID tokens), e.g. to scan files for leaks. */
  issuedTokens: () => control<IssuedToken[]>('GET', '/idp/tokens'),
};

/** What the bridge (and so Dovecot and smtp-server) think of an access token. */
export function introspectViaBridge(accessToken: string): Promise<BridgeAnswer> {
  return askBridge(testbed().bridgeUrl, accessToken);
}

export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
}

export function pkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Builds an authorization URL of the test IdP for a code flow with PKCE (S256). */
export function authorizationUrl(options: {
  client: IdpClientInfo;
  scopes: readonly string[];
  redirectUri: string;
  pkce: PkcePair;
  state?: string;
  prompt?: string;
  loginHint?: string;
  responseMode?: 'query' | 'form_post';
}): string {
  const url = new URL(testbed().idp.endpoints.authorization);
  url.search = new URLSearchParams({
    client_id: options.client.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: options.scopes.join(' '),
    code_challenge: options.pkce.challenge,
    code_challenge_method: 'S256',
    state: options.state ?? randomBytes(8).toString('hex'),
    ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
    ...(options.loginHint === undefined ? {} : { login_hint: options.loginHint }),
    ...(options.responseMode === undefined ? {} : { response_mode: options.responseMode }),
  }).toString();
  return url.toString();
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope?: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
}

/** Calls the IdP's token endpoint as the given client; throws with the OAuth error on failure. */
export async function tokenRequest(client: IdpClientInfo, params: Record<string, string>): Promise<TokenResponse> {
  const body = new URLSearchParams({ client_id: client.clientId, ...params });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (client.tokenEndpointAuthMethod === 'client_secret_post' && client.clientSecret) body.set('client_secret', client.clientSecret);
  if (client.tokenEndpointAuthMethod === 'client_secret_basic' && client.clientSecret) {
    body.delete('client_id');
    headers['authorization'] = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
  }
  const response = await fetch(testbed().idp.endpoints.token, { method: 'POST', headers, body });
  const json = (await response.json()) as TokenResponse & { error?: string; error_description?: string };
  if (!response.ok) throw Object.assign(new Error(`${json.error ?? response.status}: ${json.error_description ?? ''}`), { oauthError: json.error, status: response.status });
  return json;
}

/** Refresh grant (the refresh token rotates: use the new one from the answer). */
export function refreshTokens(client: IdpClientInfo, refreshToken: string, scopes?: readonly string[]): Promise<TokenResponse> {
  return tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken, ...(scopes ? { scope: scopes.join(' ') } : {}) });
}

/** RFC 7009 revocation at the IdP, as the client that owns the token. */
export async function revokeToken(client: IdpClientInfo, token: string, hint?: 'access_token' | 'refresh_token'): Promise<void> {
  const body = new URLSearchParams({ client_id: client.clientId, token, ...(hint ? { token_type_hint: hint } : {}) });
  if (client.clientSecret) body.set('client_secret', client.clientSecret);
  const response = await fetch(testbed().idp.endpoints.revocation, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  if (!response.ok) throw new Error(`revocation failed: ${response.status} ${await response.text()}`);
}

/** A minimal cookie jar for driving the IdP's pages with fetch (one host, so paths are ignored). */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface PageOptions {
  readonly user: Pick<TestUser, 'email' | 'password' | 'totpSecret'>;
  /** 'deny' clicks Deny on the consent page: the redirect then carries error=access_denied. */
  readonly consent?: 'allow' | 'deny';
  /** Override the TOTP code (e.g. a wrong one). */
  readonly otp?: string;
  /**
   * Also send the final redirect to the app (GET for response_mode=query, POST for form_post), as a
   * browser would: needed when a library's own loopback listener waits for it (MSAL, a google-auth-library
   * app). Default false: the parameters are only returned.
   */
  readonly deliver?: boolean;
}

export type PagesResult =
  /** The IdP redirected back to the app; `params` holds code/state or error/error_description. */
  | { readonly ok: true; readonly redirectUri: string; readonly params: URLSearchParams }
  /** The user got stuck on a page (wrong password or TOTP code). */
  | { readonly ok: false; readonly error: 'login_failed' | 'otp_failed' };

/**
 * Plays the user in front of the IdP without a browser: starting at an authorization URL (built by
 * authorizationUrl() or by a library such as MSAL or google-auth-library), it follows redirects with a
 * cookie jar and submits the real login, TOTP and consent forms. Handles response_mode query and
 * form_post. For the same pages in Chromium see test/integration/testbed-browser.test.ts.
 */
export async function completeSignInWithFetch(authorizationUrlValue: string, options: PageOptions): Promise<PagesResult> {
  const { idp } = testbed();
  const idpOrigin = new URL(idp.endpoints.issuer).origin;
  const jar = new CookieJar();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), cookie: jar.header() } });
    jar.take(response);
    return response;
  };
  const post = (url: string, form: Record<string, string>): Promise<Response> =>
    go(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

  let response = await go(authorizationUrlValue);
  for (let step = 0; step < 20; step += 1) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, idp.endpoints.issuer);
      if (next.origin !== idpOrigin) {
        // Back at the app's redirect URI (response_mode=query).
        if (options.deliver) await (await fetch(next, { redirect: 'manual' })).arrayBuffer();
        return { ok: true, redirectUri: `${next.origin}${next.pathname}`, params: next.searchParams };
      }
      response = await go(next.toString());
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    if (action === undefined) throw new Error(`unexpected IdP page (${response.status}): ${html.slice(0, 500)}`);
    const target = new URL(action, idp.endpoints.issuer);
    if (target.origin !== idpOrigin) {
      // response_mode=form_post: an auto-submitting form of hidden inputs aimed at the app.
      const params = new URLSearchParams();
      for (const input of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
        params.append(input[1] ?? '', (input[2] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
      }
      if (options.deliver) {
        await (await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString(), redirect: 'manual' })).arrayBuffer();
      }
      return { ok: true, redirectUri: target.toString(), params };
    }
    if (target.pathname.endsWith('/login')) {
      if (html.includes('id="error"')) return { ok: false, error: 'login_failed' };
      response = await post(target.toString(), { username: options.user.email, password: options.user.password });
    } else if (target.pathname.endsWith('/otp')) {
      if (html.includes('id="error"')) return { ok: false, error: 'otp_failed' };
      response = await post(target.toString(), { otp: options.otp ?? totpCode(options.user) });
    } else if (target.pathname.endsWith('/consent')) {
      response = await post(target.toString(), { decision: options.consent ?? 'allow' });
    } else {
      throw new Error(`unknown IdP form ${action}`);
    }
  }
  throw new Error('sign-in did not finish in 20 steps');
}

export interface SignInOptions extends Omit<PageOptions, 'deliver'> {
  readonly client?: IdpClientInfo;
  readonly scopes?: readonly string[];
  readonly redirectUri?: string;
  readonly prompt?: string;
}

export type SignInResult =
  | { readonly ok: true; readonly tokens: TokenResponse; readonly code: string }
  | { readonly ok: false; readonly error: string; readonly errorDescription?: string };

/**
 * The whole authorization-code flow (PKCE) without a browser or an app: builds the authorization URL,
 * completes the pages with completeSignInWithFetch and exchanges the code. Defaults: the office365-like
 * client with the Office 365 IMAP and SMTP scopes.
 */
export async function signInWithFetch(options: SignInOptions): Promise<SignInResult> {
  const { idp } = testbed();
  const client = options.client ?? idp.clients.office365;
  const scopes = options.scopes ?? ['openid', 'profile', 'email', 'offline_access', idp.mailScopes.office365Imap, idp.mailScopes.office365Smtp];
  // Never listened on: without `deliver` the redirect is only read, not followed.
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:9/callback';
  const pkce = pkcePair();
  const state = randomBytes(8).toString('hex');
  const url = authorizationUrl({ client, scopes, redirectUri, pkce, state, ...(options.prompt ? { prompt: options.prompt } : {}) });
  const pages = await completeSignInWithFetch(url, options);
  if (!pages.ok) return pages;
  const error = pages.params.get('error');
  if (error) return { ok: false, error, errorDescription: pages.params.get('error_description') ?? undefined };
  if (pages.params.get('state') !== state) throw new Error('state mismatch');
  const code = pages.params.get('code') ?? '';
  const tokens = await tokenRequest(client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce.verifier });
  return { ok: true, tokens, code };
}

/** How to authenticate to IMAP/SMTP: a password, or an OAuth access token (SASL XOAUTH2/OAUTHBEARER). */
export type MailAuth = { readonly user: string; readonly pass: string } | { readonly user: string; readonly accessToken: string };

/**
 * An ImapFlow client (not yet connected) for one of the test bed's Dovecots, over implicit TLS by
 * default. Trust comes from NODE_EXTRA_CA_CERTS; the CA is also passed explicitly so this works in
 * processes started without it.
 */
export function imapClient(auth: MailAuth, options: { server?: DovecotInfo; tls?: 'implicit' | 'starttls' } = {}): ImapFlow {
  const info = testbed();
  const server = options.server ?? info.dovecot;
  const implicit = (options.tls ?? 'implicit') === 'implicit';
  return new ImapFlow({
    host: info.host,
    port: implicit ? server.ports.imaps : server.ports.imap,
    secure: implicit,
    auth,
    tls: { ca: [info.ca.caPem] },
    logger: false,
    // Fail fast in tests instead of imapflow's long defaults.
    connectionTimeout: 10_000,
    greetingTimeout: 5_000,
    socketTimeout: 30_000,
  });
}

export interface MailboxMessage {
  readonly uid: number;
  readonly raw: string;
  readonly parsed: ParsedMail;
}

/** Every message in a mailbox (INBOX unless given), read over IMAP as the user with their password. */
export async function readMailbox(user: Pick<TestUser, 'email' | 'password'>, mailbox = 'INBOX'): Promise<MailboxMessage[]> {
  const client = imapClient({ user: user.email, pass: user.password });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const messages: MailboxMessage[] = [];
      const status = client.mailbox;
      if (status && status.exists > 0) {
        for await (const message of client.fetch('1:*', { uid: true, source: true })) {
          const raw = message.source?.toString('utf8') ?? '';
          messages.push({ uid: message.uid, raw, parsed: await simpleParser(raw, { skipImageLinks: true }) });
        }
      }
      return messages;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Polls until a message matching `predicate` is in the user's mailbox (delivery is asynchronous). */
export async function waitForMessage(
  user: Pick<TestUser, 'email' | 'password'>,
  predicate: (message: MailboxMessage) => boolean,
  { timeoutMs = 10_000, mailbox = 'INBOX' }: { timeoutMs?: number; mailbox?: string } = {},
): Promise<MailboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readMailbox(user, mailbox)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching message for ${user.email} in ${mailbox} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface SavedMessage {
  readonly envelope: SavedEnvelope;
  readonly raw: string;
  readonly emlPath: string;
}

/** Messages saved by smtp-server (`testbed().smtp.emlDir`) or the relay sink (`testbed().relaySink.emlDir`). */
export async function readSavedMessages(emlDir: string = testbed().smtp.emlDir): Promise<SavedMessage[]> {
  const names = (await readdir(emlDir)).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(
    names.map(async (name) => {
      const id = name.slice(0, -'.eml'.length);
      const [envelope, raw] = await Promise.all([readFile(join(emlDir, `${id}.json`), 'utf8'), readFile(join(emlDir, name), 'utf8')]);
      return { envelope: JSON.parse(envelope) as SavedEnvelope, raw, emlPath: join(emlDir, name) };
    }),
  );
}

/** Polls the .eml dir until a saved message matches. */
export async function waitForSavedMessage(
  predicate: (message: SavedMessage) => boolean,
  { emlDir = testbed().smtp.emlDir, timeoutMs = 10_000 }: { emlDir?: string; timeoutMs?: number } = {},
): Promise<SavedMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readSavedMessages(emlDir)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching message in ${emlDir} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * Launch options for Debian's Chromium (Playwright's `chromium.launch(...)`) that trust exactly the test
 * servers' certificate. --no-sandbox because CI runs as root.
 */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] } {
  return {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--ignore-certificate-errors-spki-list=${testbed().ca.spkiSha256}`,
    ],
  };
}

/** Launches Debian's Chromium with chromiumLaunchOptions(), or fails naming the missing package. */
export async function launchChromium(): Promise<Browser> {
  await requireBinaries([{ path: '/usr/bin/chromium', debianPackage: 'chromium' }]);
  return chromium.launch(chromiumLaunchOptions());
}

let maildirCounter = 0;

/**
 * Puts messages straight into a user's Maildir/new, as an MDA would (tmp/ then rename, owned like the
 * Maildir so Dovecot can move them to cur/): thousands per second, where APPEND over IMAP manages
 * tens. Dovecot finds them at the next SELECT or command. Write CRLF line ends: Dovecot then serves
 * the bytes as written. The user must exist (addUser).
 */
export async function writeToMaildir(email: string, messages: readonly Buffer[]): Promise<void> {
  const [local, domain] = email.toLowerCase().split('@');
  const maildir = join(testbed().mailRoot, domain ?? '', local ?? '', 'Maildir');
  const owner = await stat(maildir);
  const seconds = Math.floor(Date.now() / 1000);
  for (const raw of messages) {
    maildirCounter += 1;
    // <time>.<unique>.<host>,S=<size> (https://cr.yp.to/proto/maildir.html; S= is Dovecot's size hint).
    const name = `${seconds}.M${maildirCounter}P${process.pid}R${randomBytes(6).toString('hex')}.testbed,S=${raw.length}`;
    const tmpPath = join(maildir, 'tmp', name);
    await writeFile(tmpPath, raw, { mode: 0o600 });
    await chown(tmpPath, owner.uid, owner.gid);
    await rename(tmpPath, join(maildir, 'new', name));
  }
}

/**
 * Ends every IMAP session of a user on one of the test bed's Dovecots (`doveadm kick`): the server drops
 * the connection as a restart would, for this user only (other test files keep theirs).
 */
export async function kickImapUser(server: DovecotInfo, email: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile('/usr/bin/doveadm', ['-c', server.configPath, 'kick', email], { timeout: 10_000 }, (error, _stdout, stderr) => {
      // doveadm kick exits 68 (EX_NOUSER) when the user had no session left: nothing to drop.
      if (error && error.code !== 68) reject(new Error(`doveadm kick ${email} failed: ${error.message}\n${stderr}`, { cause: error }));
      else resolve();
    });
  });
}
