import { randomUUID } from 'node:crypto';
import { ProtocolMode, PublicClientApplication } from '@azure/msal-node';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuth2Client } from 'google-auth-library';
import { addUser, launchChromium, completeSignInWithFetch, idpControl, imapClient, introspectViaBridge, testbed, totpCode } from '../testbed/client';

// MSAL (what the app uses for Office 365) against the test IdP, with Chromium filling the pages: proves
// the IdP's quirks are covered (form_post to http://localhost:<port>, offline_access on refresh).
describe('test bed: MSAL and google-auth-library against the IdP', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('acquireTokenInteractive then a forced silent refresh', async () => {
    const { idp } = testbed();
    const user = await addUser(`msal-${randomUUID()}@example.test`);
    const pca = new PublicClientApplication({
      auth: { clientId: idp.clients.office365.clientId, authority: `${idp.endpoints.issuer}/`, knownAuthorities: [idp.host] },
      system: { protocolMode: ProtocolMode.OIDC },
    });
    const context = await browser.newContext();
    try {
      const result = await pca.acquireTokenInteractive({
        scopes: [idp.mailScopes.office365Imap],
        successTemplate: 'Signed in.',
        errorTemplate: 'Sign-in failed: {error}',
        openBrowser: async (url) => {
          const page = await context.newPage();
          await page.goto(url);
          await page.fill('#username', user.email);
          await page.fill('#password', user.password);
          await page.click('#sign-in');
          await page.fill('#otp', totpCode(user));
          await page.click('#verify');
          await page.click('#allow');
        },
      });
      expect(result.account?.username).toBe(user.email);
      expect(await introspectViaBridge(result.accessToken)).toMatchObject({ active: true, username: user.email });

      const refreshed = await pca.acquireTokenSilent({ account: result.account!, scopes: [idp.mailScopes.office365Imap], forceRefresh: true });
      expect(refreshed.accessToken).not.toBe(result.accessToken);
      const log = await idpControl.grantLog();
      expect(log).toContainEqual(expect.objectContaining({ grantType: 'refresh_token', accountId: user.email, status: 200 }));
    } finally {
      await context.close();
    }
  });

  it('MSAL without a browser: completeSignInWithFetch delivers the form_post to MSAL\'s loopback listener', async () => {
    const { idp } = testbed();
    const user = await addUser(`msal-${randomUUID()}@example.test`);
    const pca = new PublicClientApplication({
      auth: { clientId: idp.clients.office365.clientId, authority: `${idp.endpoints.issuer}/`, knownAuthorities: [idp.host] },
      system: { protocolMode: ProtocolMode.OIDC },
    });
    const result = await pca.acquireTokenInteractive({
      scopes: [idp.mailScopes.office365Imap],
      openBrowser: async (url) => {
        const pages = await completeSignInWithFetch(url, { user, deliver: true });
        if (!pages.ok) throw new Error(pages.error);
      },
    });
    const client = imapClient({ user: user.email, accessToken: result.accessToken }, { server: testbed().dovecotXoauth2Only });
    client.on('error', () => undefined);
    await client.connect();
    await client.logout();
  });

  it('google-auth-library: code flow with PKCE and client secret, refresh, tokeninfo, revoke', async () => {
    const { idp } = testbed();
    const user = await addUser(`google-${randomUUID()}@example.test`);
    const client = new OAuth2Client({
      clientId: idp.clients.google.clientId,
      clientSecret: idp.clients.google.clientSecret,
      endpoints: {
        oauth2AuthBaseUrl: idp.endpoints.authorization,
        oauth2TokenUrl: idp.endpoints.token,
        oauth2RevokeUrl: idp.endpoints.googleRevoke,
        tokenInfoUrl: idp.endpoints.tokeninfo,
      },
    });
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const redirectUri = 'http://127.0.0.1:9/oauth2callback';
    const url = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: ['openid', 'email', idp.mailScopes.google],
      state: 'xyz',
      code_challenge_method: 'S256' as never,
      code_challenge: codeChallenge,
      redirect_uri: redirectUri,
    });
    const pages = await completeSignInWithFetch(url, { user });
    if (!pages.ok) throw new Error(pages.error);
    const { tokens } = await client.getToken({ code: pages.params.get('code') ?? '', codeVerifier, redirect_uri: redirectUri });
    expect(tokens.refresh_token).toBeTruthy();
    client.setCredentials(tokens);
    const info = await client.getTokenInfo(tokens.access_token ?? '');
    expect(info.email).toBe(user.email);
    expect(info.scopes).toContain(idp.mailScopes.google);

    const rotated = new Promise<string | null | undefined>((resolve) => client.once('tokens', (t) => resolve(t.refresh_token)));
    const refreshed = await client.refreshAccessToken();
    expect(refreshed.credentials.access_token).not.toBe(tokens.access_token);
    // Rotation: the new refresh token only arrives in the 'tokens' event (see test-servers.md).
    expect(await rotated).toBeTruthy();
    await client.revokeToken(refreshed.credentials.access_token ?? '');
    expect(await introspectViaBridge(refreshed.credentials.access_token ?? '')).toEqual({ active: false });
  });
});
