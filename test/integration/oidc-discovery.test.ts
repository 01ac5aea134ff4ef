import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { ExternalOpener } from '../../src/main/platform/external-link';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { localProviders, scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { addUser, secretToolLookup, testbed, type TestUser } from '../testbed/client';

/** One request the stand-in identity provider received. */
interface Received {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: URLSearchParams;
}

/**
 * A stand-in identity provider over HTTPS with the test bed's certificate: it publishes whatever
 * discovery document a test gives it, issues tokens for any code, and records every request.
 */
interface StandInIdp {
  readonly issuer: string;
  readonly received: Received[];
  discovery: Record<string, unknown>;
  tokenRequests(): Received[];
  close(): Promise<void>;
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

async function startStandInIdp(): Promise<StandInIdp> {
  const { ca } = testbed();
  const [cert, key] = await Promise.all([readFile(ca.certPath), readFile(ca.keyPath)]);
  const received: Received[] = [];
  const handle = async (request: IncomingMessage, reply: ServerResponse): Promise<void> => {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const path = new URL(request.url ?? '/', 'https://127.0.0.1').pathname;
    received.push({ method: request.method ?? '', path, authorization: request.headers.authorization, body: new URLSearchParams(text) });
    reply.setHeader('content-type', 'application/json');
    if (path === '/.well-known/openid-configuration') {
      reply.end(JSON.stringify(standIn.discovery));
    } else if (path === '/token') {
      const idToken = `${base64url({ alg: 'none' })}.${base64url({ sub: 'stand-in', email: 'someone@stand-in.test' })}.`;
      reply.end(JSON.stringify({ access_token: 'stand-in-access', refresh_token: 'stand-in-refresh', id_token: idToken, token_type: 'Bearer', expires_in: 3600 }));
    } else {
      reply.statusCode = 404;
      reply.end('{}');
    }
  };
  const server: Server = createServer({ cert, key }, (request, reply) => void handle(request, reply));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const standIn: StandInIdp = {
    issuer,
    received,
    discovery: {},
    tokenRequests: () => received.filter((entry) => entry.path === '/token'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  standIn.discovery = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
  };
  return standIn;
}

/**
 * The system browser, played: it records what the app opened and, when told to, goes straight back to
 * the app's redirect URI as an identity provider would after the user signed in.
 */
function playedBrowser(answer: ((authorizationUrl: URL) => URLSearchParams) | null): ExternalOpener & { readonly opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    open: async (url) => {
      opened.push(url.href);
      if (!answer) return;
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      void fetch(`${redirectUri}?${answer(url).toString()}`).then((response) => response.arrayBuffer(), () => undefined);
    },
  };
}

/** The answer of a provider that signed the user in: the code, the state sent, and `iss` unless told otherwise. */
const signedInAnswer = (issuer: string | null) => (authorizationUrl: URL) =>
  new URLSearchParams({ code: `code-${randomUUID()}`, state: authorizationUrl.searchParams.get('state') ?? '', ...(issuer === null ? {} : { iss: issuer }) });

describe('OpenID Connect discovery is about the configured issuer, and a client secret goes to its own issuer only', () => {
  let dataDir: string;
  let standIn: StandInIdp;
  let runtime: Runtime | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-discovery-'));
    standIn = await startStandInIdp();
  });
  afterEach(async () => {
    await runtime?.services.accounts.reset('send');
    await runtime?.stop();
    runtime = undefined;
    await standIn.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const signInAtStandIn = (extra: Record<string, string> = {}) =>
    runtime?.handlers.signIn({ mailbox: 'send', provider: { kind: 'oidc', issuer: standIn.issuer, clientId: 'stand-in-client', ...extra }, via: 'browser' } as never);

  it('refuses a discovery document that names another issuer (a mix-up), before any page is opened or secret sent', async () => {
    const browser = playedBrowser(signedInAnswer(testbed().idp.endpoints.issuer));
    runtime = await startLocalRuntime(dataDir, { externalOpener: browser, signInTimeoutMs: 3_000 });
    // The document served at the stand-in's address claims to be the real identity provider.
    standIn.discovery = { ...standIn.discovery, issuer: testbed().idp.endpoints.issuer };
    const result = await signInAtStandIn({ clientSecret: 'secret-for-the-stand-in' });
    expect(result).toMatchObject({ ok: false, error: { code: 'IDENTITY_PROVIDER_METADATA_REFUSED', message: expect.stringContaining(testbed().idp.endpoints.issuer) } });
    expect(browser.opened).toEqual([]);
    expect(standIn.received.map((entry) => entry.path)).toEqual(['/.well-known/openid-configuration']);
  });

  it('refuses a discovery document with an endpoint that is not https', async () => {
    const browser = playedBrowser(signedInAnswer(standIn.issuer));
    runtime = await startLocalRuntime(dataDir, { externalOpener: browser, signInTimeoutMs: 3_000 });
    const plain = standIn.issuer.replace('https:', 'http:');
    for (const member of ['authorization_endpoint', 'token_endpoint', 'revocation_endpoint', 'userinfo_endpoint', 'jwks_uri']) {
      standIn.discovery = { ...standIn.discovery, issuer: standIn.issuer, [member]: `${plain}/${member}` };
      const result = await signInAtStandIn({ clientSecret: 'secret-for-the-stand-in' });
      expect(result, member).toMatchObject({ ok: false, error: { code: 'IDENTITY_PROVIDER_METADATA_REFUSED', message: expect.stringContaining(`${plain}/${member}`) } });
      standIn.discovery = { ...standIn.discovery, [member]: `${standIn.issuer}/${member}` };
    }
    expect(browser.opened).toEqual([]);
    expect(standIn.tokenRequests()).toEqual([]);
  });

  it('refuses an answer without iss when the metadata says the server always sends it (RFC 9207), and redeems nothing', async () => {
    const browser = playedBrowser(signedInAnswer(null));
    runtime = await startLocalRuntime(dataDir, { externalOpener: browser, signInTimeoutMs: 1_500 });
    standIn.discovery = { ...standIn.discovery, authorization_response_iss_parameter_supported: true };
    expect(await signInAtStandIn()).toMatchObject({ ok: false, error: { code: 'SIGN_IN_TIMED_OUT' } });
    expect(browser.opened).toHaveLength(1);
    expect(standIn.tokenRequests()).toEqual([]);
  });

  it('never sends the client secret saved for one issuer to another', async () => {
    const { idp } = testbed();
    const user: TestUser = await addUser(`discovery-${randomUUID().slice(0, 8)}@example.test`);
    // A real sign-in at the local identity provider (issuer A), with a client secret typed for it.
    const realBrowser = scriptedSignInWindow(() => ({ user }));
    runtime = await startLocalRuntime(dataDir, { externalOpener: { open: async (url) => void (await realBrowser.open(url.href, '')) } });
    const atA = await runtime.handlers.signIn({
      mailbox: 'send',
      provider: { kind: 'oidc', issuer: idp.endpoints.issuer, clientId: idp.clients.google.clientId, clientSecret: idp.clients.google.clientSecret },
      via: 'browser',
    } as never);
    expect(atA).toMatchObject({ ok: true, value: { status: 'signed-in', username: user.email } });
    await runtime.stop();

    // The mailbox is pointed at issuer B (the stand-in), no secret typed: B's token request carries none.
    runtime = await startLocalRuntime(dataDir, { externalOpener: playedBrowser(signedInAnswer(standIn.issuer)) });
    expect(await signInAtStandIn()).toMatchObject({ ok: true, value: { status: 'signed-in', username: 'someone@stand-in.test' } });
    const [tokenRequest] = standIn.tokenRequests();
    expect(tokenRequest?.body.get('grant_type')).toBe('authorization_code');
    expect(tokenRequest?.body.has('client_secret')).toBe(false);
    expect(tokenRequest?.authorization).toBeUndefined();
    expect(JSON.stringify([...(tokenRequest?.body ?? [])])).not.toContain(idp.clients.google.clientSecret);
    // The secret stays bound to A in the keychain.
    expect(JSON.parse((await secretToolLookup(keychainServiceFor(dataDir), 'oauth/send/client-secret')) ?? '{}')).toEqual({
      issuer: idp.endpoints.issuer,
      secret: idp.clients.google.clientSecret,
    });
  });

  it("never sends the installation's client secret to an issuer a mailbox names instead of the installation's", async () => {
    const { idp } = testbed();
    const defaults = { ...localProviders(), oidc: { issuer: idp.endpoints.issuer, clientId: 'installation-client', clientSecret: 'installation-secret-for-A' } };
    runtime = await startLocalRuntime(dataDir, { providerDefaults: defaults, externalOpener: playedBrowser(signedInAnswer(standIn.issuer)) });
    expect(await signInAtStandIn()).toMatchObject({ ok: true });
    const [tokenRequest] = standIn.tokenRequests();
    expect(tokenRequest?.body.has('client_secret')).toBe(false);
    expect(tokenRequest?.authorization).toBeUndefined();
  });
});
