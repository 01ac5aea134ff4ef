import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, launchChromium, authorizationUrl, imapClient, pkcePair, testbed, tokenRequest, totpCode, type TestUser } from '../testbed/client';

/** The app side of a loopback redirect: resolves with the query the IdP redirected to /callback with. */
async function loopbackListener(): Promise<{ redirectUri: string; result: Promise<URLSearchParams>; server: Server }> {
  let deliver: (params: URLSearchParams) => void = () => undefined;
  const result = new Promise<URLSearchParams>((resolve) => (deliver = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p id="done">You can close this window.</p>');
    deliver(url.searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, result, server };
}

describe('test bed: the IdP pages in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function signInInBrowser(user: TestUser, decision: 'allow' | 'deny') {
    const { idp } = testbed();
    const listener = await loopbackListener();
    const pkce = pkcePair();
    const state = randomBytes(8).toString('hex');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(authorizationUrl({ client: idp.clients.office365, scopes: ['openid', 'profile', 'offline_access', idp.mailScopes.office365Imap], redirectUri: listener.redirectUri, pkce, state }));
      await page.fill('#username', user.email);
      await page.fill('#password', user.password);
      await page.click('#sign-in');
      await page.fill('#otp', totpCode(user));
      await page.click('#verify');
      expect(await page.locator('#scopes').textContent()).toContain(idp.mailScopes.office365Imap);
      await page.click(decision === 'allow' ? '#allow' : '#deny');
      const params = await listener.result;
      expect(params.get('state')).toBe(state);
      return { params, redirectUri: listener.redirectUri, verifier: pkce.verifier };
    } finally {
      await context.close();
      listener.server.close();
    }
  }

  it('login, TOTP and consent pages yield a code whose token opens the XOAUTH2-only Dovecot', async () => {
    const info = testbed();
    const user = await addUser(`browser-${randomUUID()}@example.test`);
    const { params, redirectUri, verifier } = await signInInBrowser(user, 'allow');
    const tokens = await tokenRequest(info.idp.clients.office365, { grant_type: 'authorization_code', code: params.get('code') ?? '', redirect_uri: redirectUri, code_verifier: verifier });
    const client = imapClient({ user: user.email, accessToken: tokens.access_token }, { server: info.dovecotXoauth2Only });
    client.on('error', () => undefined);
    await client.connect();
    expect(client.authenticated).toBeTruthy();
    await client.logout();
  });

  it('Deny on the consent page redirects with error=access_denied', async () => {
    const user = await addUser(`browser-${randomUUID()}@example.test`);
    const { params } = await signInInBrowser(user, 'deny');
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('code')).toBeNull();
  });
});
