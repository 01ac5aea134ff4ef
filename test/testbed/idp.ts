import { generateKeyPair, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { Provider, interactionPolicy, type Adapter, type AdapterPayload, type ClientLike, type KoaContextLike } from 'oidc-provider';
import type { TestCa } from './ca';
import type { UserDirectory } from './users';

/**
 * A real OpenID Connect provider (oidc-provider 9, OpenID-certified) over HTTPS on 127.0.0.1, with its
 * own login -> TOTP -> consent pages. It stands in for Entra ID and Google: native clients on loopback
 * redirects with PKCE, opaque access tokens for the IMAP/SMTP scopes, rotating refresh tokens, real
 * RFC 7662 introspection and RFC 7009 revocation. Lifetimes are adjustable at runtime so expiry,
 * refresh and revocation are testable in seconds.
 */

export const mailScopes = {
  office365Imap: 'https://outlook.office.com/IMAP.AccessAsUser.All',
  office365Smtp: 'https://outlook.office.com/SMTP.Send',
  google: 'https://mail.google.com/',
} as const;

export const idpScopes = ['openid', 'profile', 'email', 'offline_access', ...Object.values(mailScopes)] as const;

/** Token kinds whose lifetime tests may change (seconds). */
export type TtlKind = 'AccessToken' | 'RefreshToken' | 'IdToken' | 'AuthorizationCode' | 'Interaction' | 'Session' | 'Grant' | 'ClientCredentials';

export const defaultTtl: Readonly<Record<TtlKind, number>> = {
  AccessToken: 3600,
  RefreshToken: 14 * 24 * 3600,
  IdToken: 3600,
  AuthorizationCode: 60,
  Interaction: 3600,
  Session: 14 * 24 * 3600,
  Grant: 14 * 24 * 3600,
  ClientCredentials: 600,
};

/**
 * Opaque tokens whose length tests may raise, to get tokens as large as Entra's: its access tokens are JWTs
 * of about 2 KB and its refresh tokens over 1 KB, while oidc-provider's opaque ones are 43 characters.
 */
export type SizedTokenKind = 'AccessToken' | 'RefreshToken';

/** oidc-provider's default opaque token: 256 bits of randomness, in base64url (6 bits a character). */
const defaultOpaqueBits = 256;
const bitsPerCharacter = 6;

/**
 * Redirect URIs registered for every native client. oidc-provider ignores the port of a loopback
 * redirect for native clients (RFC 8252), but the path must match one of these.
 */
export const loopbackRedirectPaths = ['', '/', '/callback', '/oauth/callback', '/oauth2callback', '/auth/callback', '/redirect'] as const;

export interface IdpClientInfo {
  readonly clientId: string;
  /** Only for the google-like and admin clients (the google-like one is "not secret", as for desktop apps). */
  readonly clientSecret?: string;
  readonly tokenEndpointAuthMethod: 'none' | 'client_secret_post' | 'client_secret_basic';
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
}

export interface IdpEndpoints {
  readonly issuer: string;
  readonly discovery: string;
  readonly authorization: string;
  readonly token: string;
  readonly introspection: string;
  readonly revocation: string;
  readonly userinfo: string;
  readonly jwks: string;
  /** Google-style GET ?access_token= (for google-auth-library's tokenInfoUrl). */
  readonly tokeninfo: string;
  /**
   * Google-style revocation: POST ?token=... without client authentication (google-auth-library's
   * oauth2RevokeUrl). Forwarded to the real RFC 7009 endpoint as the client that owns the token.
   */
  readonly googleRevoke: string;
}

/** One call of the token endpoint, for "a refresh grant happened" assertions. */
export interface GrantLogEntry {
  readonly at: number;
  readonly grantType: string;
  readonly clientId?: string;
  readonly accountId?: string;
  readonly status: number;
  readonly error?: string;
  /** Scope as requested (after the offline_access strip on refresh). */
  readonly scope?: string;
}

/** A token value the IdP handed out (to scan files and logs for leaks). */
export interface IssuedToken {
  readonly kind: 'AccessToken' | 'RefreshToken' | 'AuthorizationCode' | 'ClientCredentials' | 'IdToken';
  readonly value: string;
  readonly accountId?: string;
  readonly clientId?: string;
  readonly at: number;
}

export interface RunningIdp {
  readonly port: number;
  readonly endpoints: IdpEndpoints;
  readonly clients: { readonly office365: IdpClientInfo; readonly google: IdpClientInfo & { readonly clientSecret: string }; readonly admin: IdpClientInfo & { readonly clientSecret: string } };
  readonly provider: Provider;
  /** Lifetimes (seconds) for tokens issued from now on; only for `user` when given, else for everyone. */
  setTtl(ttl: Partial<Record<TtlKind, number>>, user?: string): void;
  /** Back to the defaults (only `user`'s overrides when given, else all global values and overrides). */
  resetTtl(user?: string): void;
  ttl(user?: string): Record<TtlKind, number>;
  /** Length in characters of `user`'s opaque tokens issued from now on (default 43); only per user. */
  setTokenLength(lengths: Partial<Record<SizedTokenKind, number>>, user: string): void;
  grantLog(): GrantLogEntry[];
  clearGrantLog(): void;
  issuedTokens(): IssuedToken[];
  /** Deletes every grant, session and token of the user: refresh fails, introspection says inactive. */
  revokeUser(email: string): number;
  stop(): Promise<void>;
}

interface Row {
  readonly model: string;
  readonly payload: AdapterPayload;
  readonly expiresAt: number | undefined;
}

/**
 * In-memory storage we can look into (oidc-provider's own memory adapter is a private LRU): gives the
 * control API "all tokens of a user" and "every token value issued".
 */
class TokenStore {
  readonly rows = new Map<string, Row>();
  readonly issued: IssuedToken[] = [];

  static key(model: string, id: string): string {
    return `${model}:${id}`;
  }

  adapterFor(model: string): Adapter {
    const store = { rows: this.rows, issued: this.issued };
    const live = (id: string): Row | undefined => {
      const row = store.rows.get(TokenStore.key(model, id));
      // Expired rows vanish, as with a real store's TTL (the provider then says "not found").
      if (row?.expiresAt !== undefined && row.expiresAt <= Date.now()) {
        store.rows.delete(TokenStore.key(model, id));
        return undefined;
      }
      return row;
    };
    return {
      async upsert(id, payload, expiresIn) {
        const isNew = !store.rows.has(TokenStore.key(model, id));
        store.rows.set(TokenStore.key(model, id), { model, payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
        if (isNew && (model === 'AccessToken' || model === 'RefreshToken' || model === 'AuthorizationCode' || model === 'ClientCredentials')) {
          store.issued.push({ kind: model, value: id, accountId: payload.accountId, clientId: payload.clientId, at: Date.now() });
        }
      },
      async find(id) {
        return live(id)?.payload;
      },
      async findByUid(uid) {
        for (const [key, row] of store.rows) if (row.model === model && row.payload.uid === uid) return live(key.slice(model.length + 1))?.payload;
        return undefined;
      },
      async findByUserCode(userCode) {
        for (const [key, row] of store.rows) if (row.model === model && row.payload.userCode === userCode) return live(key.slice(model.length + 1))?.payload;
        return undefined;
      },
      async consume(id) {
        const row = live(id);
        if (row) row.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.rows.delete(TokenStore.key(model, id));
      },
      async revokeByGrantId(grantId) {
        for (const [key, row] of store.rows) if (row.model === model && row.payload.grantId === grantId) store.rows.delete(key);
      },
    };
  }

  deleteAccount(accountId: string): number {
    let deleted = 0;
    const grantIds = new Set<string>();
    for (const [key, row] of this.rows) {
      if (row.payload.accountId === accountId) {
        if (row.model === 'Grant') grantIds.add(key.slice('Grant:'.length));
        this.rows.delete(key);
        deleted += 1;
      }
    }
    // Tokens reference their grant; anything left on a deleted grant goes too.
    for (const [key, row] of this.rows) {
      if (row.payload.grantId !== undefined && grantIds.has(row.payload.grantId)) {
        this.rows.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }
}

const htmlEscape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string): string {
  // No external fonts or scripts: the browser in the tests has no internet.
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${htmlEscape(title)}</title>
<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}label{display:block;margin:.6em 0}input{width:100%;padding:.4em}
button{margin:.8em .4em 0 0;padding:.5em 1.2em}.error{color:#b00020}</style></head>
<body><h1>${htmlEscape(title)}</h1>${body}</body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Hands oidc-provider a copy of a request whose body we already read (and maybe rewrote): it reads the
 * body itself from the stream, and an upstream-parsed body makes it print a warning on every run.
 */
function replayRequest(original: IncomingMessage, body: string): IncomingMessage {
  const copy = new IncomingMessage(original.socket as Socket);
  copy.method = original.method;
  copy.url = original.url;
  copy.httpVersion = original.httpVersion;
  copy.httpVersionMajor = original.httpVersionMajor;
  copy.httpVersionMinor = original.httpVersionMinor;
  copy.headers = { ...original.headers, 'content-length': String(Buffer.byteLength(body)) };
  copy.rawHeaders = [];
  copy.complete = true;
  copy.push(Buffer.from(body));
  copy.push(null);
  return copy;
}

async function rsaSigningJwk(): Promise<Record<string, unknown>> {
  const { privateKey } = await new Promise<{ privateKey: KeyObject }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, key) => (error ? reject(error) : resolve({ privateKey: key }))),
  );
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
}

export async function startIdp(options: { ca: TestCa; users: UserDirectory }): Promise<RunningIdp> {
  const { ca, users } = options;
  const store = new TokenStore();
  const ttl: Record<TtlKind, number> = { ...defaultTtl };
  const grantLog: GrantLogEntry[] = [];
  /** Interactions (by uid) whose password step passed; the TOTP step completes the login. */
  const passwordDone = new Map<string, string>();

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server: Server = createServer({ cert: ca.certPem, key: ca.keyPem }, (req, res) => handler(req, res));
  // Listening on port 0 first: the issuer must contain the port, and a port picked by asking the
  // kernel and then listening later could be taken in between.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://127.0.0.1:${port}`;

  const redirectUris = loopbackRedirectPaths.flatMap((path) => [`http://127.0.0.1${path}`, `http://localhost${path}`]);
  const clients = {
    office365: {
      clientId: 'office365-like',
      tokenEndpointAuthMethod: 'none',
      redirectUris,
      scopes: ['openid', 'profile', 'email', 'offline_access', mailScopes.office365Imap, mailScopes.office365Smtp],
    },
    google: {
      clientId: 'google-like.apps.testbed',
      clientSecret: 'google-like-client-secret-not-secret',
      tokenEndpointAuthMethod: 'client_secret_post',
      redirectUris,
      scopes: ['openid', 'profile', 'email', 'offline_access', mailScopes.google],
    },
    admin: {
      clientId: 'testbed-admin',
      clientSecret: `admin-${randomBytes(16).toString('hex')}`,
      tokenEndpointAuthMethod: 'client_secret_basic',
      redirectUris,
      scopes: [...idpScopes],
    },
  } as const satisfies Record<string, IdpClientInfo>;

  const policy = interactionPolicy.base();
  // MSAL and Google send prompt=select_account; without this prompt registered the request is rejected.
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

  /** Per-user overrides: a test that shortens lifetimes for its own user can't disturb tests running in parallel. */
  const userTtl = new Map<string, Partial<Record<TtlKind, number>>>();
  const accountOf = (token: unknown): string | undefined => {
    const t = token as { accountId?: unknown; available?: { sub?: unknown }; session?: { accountId?: unknown } } | undefined;
    const id = t?.accountId ?? t?.available?.sub ?? t?.session?.accountId;
    return typeof id === 'string' ? id : undefined;
  };
  const ttlFunction = (kind: TtlKind) => (_ctx: unknown, token: unknown) => {
    const account = accountOf(token);
    return (account === undefined ? undefined : userTtl.get(account)?.[kind]) ?? ttl[kind];
  };
  /** Per-user token lengths; everyone else keeps oidc-provider's default. */
  const userTokenLength = new Map<string, Partial<Record<SizedTokenKind, number>>>();
  const opaqueBits = (_ctx: unknown, token: { kind?: string }): number => {
    const account = accountOf(token);
    const length = account === undefined ? undefined : userTokenLength.get(account)?.[token.kind as SizedTokenKind];
    return length === undefined ? defaultOpaqueBits : length * bitsPerCharacter;
  };
  const provider = new Provider(issuer, {
    adapter: (name: string) => store.adapterFor(name),
    clients: Object.values(clients).map((client) => ({
      client_id: client.clientId,
      ...('clientSecret' in client ? { client_secret: client.clientSecret } : {}),
      application_type: 'native',
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      grant_types: client.clientId === clients.admin.clientId ? ['authorization_code', 'refresh_token', 'client_credentials'] : ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: client.redirectUris,
      scope: client.scopes.join(' '),
      client_name: client.clientId,
    })),
    scopes: [...idpScopes],
    claims: {
      // oidc-provider's scope-less defaults, plus amr; listing amr and auth_time under openid puts
      // them in every ID token (['pwd','otp'] shows the second factor happened).
      acr: null,
      amr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    // ID tokens from the code flow carry the profile/email claims (MSAL reads the account name there).
    conformIdTokenClaims: false,
    // Expiry is exact: tests set lifetimes of a few seconds.
    clockTolerance: 0,
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    jwks: { keys: [await rsaSigningJwk()] },
    ttl: Object.fromEntries((Object.keys(defaultTtl) as TtlKind[]).map((kind) => [kind, ttlFunction(kind)])),
    formats: { bitsOfOpaqueRandomness: opaqueBits },
    rotateRefreshToken: true,
    // oidc-provider 9 drops offline_access from any authorization request without prompt=consent (as
    // the OIDC spec allows), and so would issue no refresh token to MSAL. Entra and Google (with
    // access_type=offline) do issue one: refresh-capable clients always get one here.
    issueRefreshToken: async (_ctx: KoaContextLike, client: ClientLike) => client.grantTypeAllowed('refresh_token'),
    // Refresh tokens outlive the browser session at the IdP, as with Entra and Google.
    expiresWithSession: async () => false,
    features: {
      devInteractions: { enabled: false },
      introspection: {
        enabled: true,
        // The admin client (used by the bridge) may introspect anything; others only their own tokens.
        allowedPolicy: async (_ctx: KoaContextLike, client: ClientLike, token: { clientId?: string }) =>
          client.clientId === clients.admin.clientId || token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: KoaContextLike, client: ClientLike, token: { clientId?: string }) =>
          client.clientId === clients.admin.clientId || token.clientId === client.clientId,
      },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: false },
    },
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    clientBasedCORS: () => false,
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.email,
        claims: () => ({ sub: user.email, email: user.email, email_verified: true, name: user.name, preferred_username: user.email }),
      };
    },
    renderError: async (ctx: KoaContextLike, out: Record<string, string>) => {
      ctx.status = ctx.status || 400;
      (ctx as unknown as { type: string }).type = 'html';
      ctx.body = page('Sign-in error', Object.entries(out).map(([k, v]) => `<p><b>${htmlEscape(k)}</b>: <span id="${htmlEscape(k)}">${htmlEscape(String(v))}</span></p>`).join(''));
    },
  });

  // Token-endpoint log and ID-token capture: after the provider has answered.
  (provider as unknown as { use(fn: (ctx: KoaContextLike, next: () => Promise<void>) => Promise<void>): void }).use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token') return;
    const params = ctx.oidc.params ?? {};
    const body = (ctx.body ?? {}) as { error?: string; id_token?: string };
    const account = ctx.oidc.entities['Account'] as { accountId?: string } | undefined;
    const entry: GrantLogEntry = {
      at: Date.now(),
      grantType: String(params['grant_type'] ?? ''),
      clientId: ctx.oidc.client?.clientId,
      accountId: account?.accountId,
      status: ctx.status,
      error: body.error,
      scope: typeof params['scope'] === 'string' ? params['scope'] : undefined,
    };
    grantLog.push(entry);
    if (typeof body.id_token === 'string') {
      store.issued.push({ kind: 'IdToken', value: body.id_token, accountId: entry.accountId, clientId: entry.clientId, at: entry.at });
    }
  });

  const providerCallback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const clientId = String(details.params.client_id ?? '');
    const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();

    const loginPage = (error?: string): string =>
      page(
        'Sign in',
        `${error ? `<p class="error" id="error">${htmlEscape(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login" autocomplete="off">
<label>Email <input id="username" name="username" type="email" autofocus required value="${htmlEscape(String(details.params['login_hint'] ?? ''))}"></label>
<label>Password <input id="password" name="password" type="password" required></label>
<button id="sign-in" type="submit">Sign in</button></form>`,
      );
    const totpPage = (error?: string): string =>
      page(
        'Two-step verification',
        `${error ? `<p class="error" id="error">${htmlEscape(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/otp" autocomplete="off">
<label>Code from your authenticator app <input id="otp" name="otp" inputmode="numeric" autofocus required></label>
<button id="verify" type="submit">Verify</button></form>`,
      );

    if (details.prompt.name === 'login' || details.prompt.name === 'select_account') {
      if (action === 'login' && req.method === 'POST') {
        const user = users.checkPassword(form.get('username') ?? '', form.get('password') ?? '');
        if (!user) return sendHtml(res, 200, loginPage('Wrong email or password.'));
        passwordDone.set(uid, user.email);
        return sendHtml(res, 200, totpPage());
      }
      if (action === 'otp' && req.method === 'POST') {
        const email = passwordDone.get(uid);
        if (email === undefined) return sendHtml(res, 200, loginPage());
        if (!users.checkTotp(email, (form.get('otp') ?? '').trim())) return sendHtml(res, 200, totpPage('That code is not right. Try again.'));
        passwordDone.delete(uid);
        return provider.interactionFinished(
          req,
          res,
          { select_account: {}, login: { accountId: email, amr: ['pwd', 'otp'], remember: false } },
          { mergeWithLastSubmission: false },
        );
      }
      return sendHtml(res, 200, passwordDone.has(uid) ? totpPage() : loginPage());
    }

    if (details.prompt.name === 'consent') {
      if (action === 'consent' && req.method === 'POST') {
        if (form.get('decision') !== 'allow') {
          return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user declined the request.' }, { mergeWithLastSubmission: false });
        }
        const accountId = details.session?.accountId;
        if (accountId === undefined) throw new Error('consent without a session');
        const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
        const grantId = await grant.save();
        return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      }
      const scopes = String(details.params.scope ?? '').split(' ').filter(Boolean);
      return sendHtml(
        res,
        200,
        page(
          'Allow access?',
          `<p><b id="client">${htmlEscape(clientId)}</b> wants to:</p><ul id="scopes">${scopes.map((s) => `<li>${htmlEscape(s)}</li>`).join('')}</ul>
<form method="post" action="/interaction/${uid}/consent">
<button id="allow" type="submit" name="decision" value="allow">Allow</button>
<button id="deny" type="submit" name="decision" value="deny">Deny</button></form>`,
        ),
      );
    }
    throw new Error(`unexpected prompt ${details.prompt.name}`);
  }

  async function tokeninfo(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    // Google's tokeninfo takes ?access_token=; google-auth-library POSTs with a Bearer header instead.
    const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const value = url.searchParams.get('access_token') ?? form.get('access_token') ?? bearer ?? '';
    const row = store.rows.get(TokenStore.key('AccessToken', value));
    const payload = row?.payload;
    const exp = typeof payload?.exp === 'number' ? payload.exp : 0;
    const now = Math.floor(Date.now() / 1000);
    if (!payload || exp <= now) return sendJson(res, 400, { error: 'invalid_token', error_description: 'Invalid Value' });
    return sendJson(res, 200, {
      aud: payload.clientId,
      azp: payload.clientId,
      sub: payload.accountId,
      email: payload.accountId,
      scope: payload['scope'],
      exp: String(exp),
      expires_in: String(exp - now),
    });
  }

  handler = (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const fail = (error: unknown): void => {
      if (!res.headersSent) sendHtml(res, 500, page('Test IdP error', `<pre>${htmlEscape(error instanceof Error ? error.message : String(error))}</pre>`));
      else res.end();
    };
    const interactionMatch = /^\/interaction\/([^/]+)(?:\/(login|otp|consent))?$/.exec(url.pathname);
    if (interactionMatch) {
      interaction(req, res, interactionMatch[1] ?? '', interactionMatch[2]).catch(fail);
      return;
    }
    if (url.pathname === '/tokeninfo') {
      tokeninfo(req, url, res).catch(fail);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/revoke') {
      readForm(req)
        .then((form) => {
          const token = url.searchParams.get('token') ?? form.get('token') ?? '';
          const owner = store.rows.get(TokenStore.key('AccessToken', token)) ?? store.rows.get(TokenStore.key('RefreshToken', token));
          const client = Object.values(clients).find((c) => c.clientId === owner?.payload.clientId);
          // Unknown or already revoked token: Google answers 400 invalid_token.
          if (!client) return sendJson(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
          const body = new URLSearchParams({ token, client_id: client.clientId, ...('clientSecret' in client ? { client_secret: client.clientSecret } : {}) });
          const forwarded = replayRequest(req, body.toString());
          forwarded.url = '/token/revocation';
          forwarded.headers['content-type'] = 'application/x-www-form-urlencoded';
          delete forwarded.headers['authorization'];
          providerCallback(forwarded, res);
        })
        .catch(fail);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      // Entra ignores offline_access on refresh; oidc-provider 9 answers invalid_scope when the refresh
      // token lacks it (it is dropped when the authorization request had a prompt other than consent).
      readForm(req)
        .then((params) => {
          if (params.get('grant_type') === 'refresh_token' && params.has('scope')) {
            params.set('scope', (params.get('scope') ?? '').split(' ').filter((s) => s && s !== 'offline_access').join(' '));
          }
          providerCallback(replayRequest(req, params.toString()), res);
        })
        .catch(fail);
      return;
    }
    providerCallback(req, res);
  };

  const endpoints: IdpEndpoints = {
    issuer,
    discovery: `${issuer}/.well-known/openid-configuration`,
    authorization: `${issuer}/auth`,
    token: `${issuer}/token`,
    introspection: `${issuer}/token/introspection`,
    revocation: `${issuer}/token/revocation`,
    userinfo: `${issuer}/me`,
    jwks: `${issuer}/jwks`,
    tokeninfo: `${issuer}/tokeninfo`,
    googleRevoke: `${issuer}/revoke`,
  };

  return {
    port,
    endpoints,
    clients,
    provider,
    setTtl(changes, user) {
      const target: Partial<Record<TtlKind, number>> = user === undefined ? ttl : (userTtl.get(user.toLowerCase()) ?? {});
      for (const [kind, seconds] of Object.entries(changes)) {
        if (!(kind in defaultTtl)) throw new Error(`unknown TTL kind ${kind}`);
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds <= 0) throw new Error(`TTL for ${kind} must be a positive whole number of seconds`);
        target[kind as TtlKind] = seconds;
      }
      if (user !== undefined) userTtl.set(user.toLowerCase(), target);
    },
    resetTtl(user) {
      if (user !== undefined) {
        userTtl.delete(user.toLowerCase());
        return;
      }
      Object.assign(ttl, defaultTtl);
      userTtl.clear();
    },
    ttl: (user) => ({ ...ttl, ...(user === undefined ? {} : userTtl.get(user.toLowerCase())) }),
    setTokenLength(lengths, user) {
      const target = userTokenLength.get(user.toLowerCase()) ?? {};
      for (const [kind, length] of Object.entries(lengths)) {
        if (kind !== 'AccessToken' && kind !== 'RefreshToken') throw new Error(`token length of ${kind} cannot be set`);
        if (typeof length !== 'number' || !Number.isInteger(length) || length < 43 || length > 16_384) throw new Error(`length of ${kind} must be a whole number from 43 to 16384`);
        target[kind] = length;
      }
      userTokenLength.set(user.toLowerCase(), target);
    },
    grantLog: () => [...grantLog],
    clearGrantLog() {
      grantLog.length = 0;
    },
    issuedTokens: () => [...store.issued],
    revokeUser: (email) => store.deleteAccount(email.toLowerCase()),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
