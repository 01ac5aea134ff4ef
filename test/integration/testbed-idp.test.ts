import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addUser, idpControl, introspectViaBridge, refreshTokens, revokeToken, signInWithFetch, testbed, tokenRequest } from '../testbed/client';

describe('test bed: identity provider', () => {
  it('serves discovery over HTTPS trusted through NODE_EXTRA_CA_CERTS in the worker', async () => {
    const { idp } = testbed();
    expect(process.env['NODE_EXTRA_CA_CERTS']).toBe(testbed().ca.bundlePath);
    const discovery = (await (await fetch(idp.endpoints.discovery)).json()) as Record<string, unknown>;
    expect(discovery['issuer']).toBe(idp.endpoints.issuer);
    expect(discovery['introspection_endpoint']).toBe(idp.endpoints.introspection);
    expect(discovery['revocation_endpoint']).toBe(idp.endpoints.revocation);
    expect(discovery['scopes_supported']).toEqual(expect.arrayContaining(['offline_access', idp.mailScopes.google]));
  });

  it('signs in with password + TOTP + consent, issues opaque tokens, refreshes with rotation', async () => {
    const user = await addUser(`idp-${randomUUID()}@example.test`);
    const result = await signInWithFetch({ user });
    if (!result.ok) throw new Error(result.error);
    const { tokens } = result;
    expect(tokens.access_token).not.toContain('.');
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining([testbed().idp.mailScopes.office365Imap, testbed().idp.mailScopes.office365Smtp]));
    const idToken = JSON.parse(Buffer.from(tokens.id_token?.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(idToken).toMatchObject({ sub: user.email, preferred_username: user.email, amr: ['pwd', 'otp'] });

    expect(await introspectViaBridge(tokens.access_token)).toMatchObject({ active: true, username: user.email });

    const client = testbed().idp.clients.office365;
    // MSAL sends offline_access on refresh: must not fail with invalid_scope.
    const refreshed = await refreshTokens(client, tokens.refresh_token ?? '', ['openid', 'offline_access', testbed().idp.mailScopes.office365Imap]);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const log = await idpControl.grantLog();
    expect(log).toContainEqual(expect.objectContaining({ grantType: 'refresh_token', accountId: user.email, status: 200 }));
    // Rotation: the old refresh token is spent (and reusing it revokes the grant).
    await expect(refreshTokens(client, tokens.refresh_token ?? '')).rejects.toMatchObject({ oauthError: 'invalid_grant' });

    const issued = await idpControl.issuedTokens();
    expect(issued.map((t) => t.value)).toEqual(expect.arrayContaining([tokens.access_token, refreshed.access_token, tokens.id_token]));
  });

  it('wrong password and wrong TOTP are rejected on the pages; Deny gives access_denied', async () => {
    const user = await addUser(`idp-${randomUUID()}@example.test`);
    expect(await signInWithFetch({ user: { ...user, password: 'wrong' } })).toEqual({ ok: false, error: 'login_failed' });
    expect(await signInWithFetch({ user, otp: '000000' })).toMatchObject({ ok: false });
    expect(await signInWithFetch({ user, consent: 'deny' })).toMatchObject({ ok: false, error: 'access_denied' });
  });

  it('google-like client authenticates with its secret; RFC 7009 revocation makes the token inactive', async () => {
    const { idp } = testbed();
    const user = await addUser(`idp-${randomUUID()}@example.test`);
    const result = await signInWithFetch({ user, client: idp.clients.google, scopes: ['openid', 'email', 'offline_access', idp.mailScopes.google], prompt: 'consent' });
    if (!result.ok) throw new Error(result.error);
    const info = (await (await fetch(`${idp.endpoints.tokeninfo}?access_token=${result.tokens.access_token}`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ aud: idp.clients.google.clientId, email: user.email });
    expect(await introspectViaBridge(result.tokens.access_token)).toMatchObject({ active: true });
    await revokeToken(idp.clients.google, result.tokens.access_token, 'access_token');
    expect(await introspectViaBridge(result.tokens.access_token)).toEqual({ active: false });
  });

  it('lifetimes are adjustable at runtime: a 1 s access token turns inactive', async () => {
    const user = await addUser(`idp-${randomUUID()}@example.test`);
    // Only this user's tokens: other tests run in parallel against the same IdP.
    await idpControl.setTtl({ AccessToken: 1 }, user.email);
    const result = await signInWithFetch({ user });
    if (!result.ok) throw new Error(result.error);
    expect(result.tokens.expires_in).toBe(1);
    // Polled, not slept for: it has to turn inactive, and a busy machine may take longer to notice.
    await expect.poll(() => introspectViaBridge(result.tokens.access_token), { timeout: 15_000, interval: 250 }).toEqual({ active: false });
  });

  it('revokeUser kills refresh and access tokens of that user', async () => {
    const user = await addUser(`idp-${randomUUID()}@example.test`);
    const result = await signInWithFetch({ user });
    if (!result.ok) throw new Error(result.error);
    expect((await idpControl.revokeUser(user.email)).deleted).toBeGreaterThan(0);
    expect(await introspectViaBridge(result.tokens.access_token)).toEqual({ active: false });
    await expect(tokenRequest(testbed().idp.clients.office365, { grant_type: 'refresh_token', refresh_token: result.tokens.refresh_token ?? '' })).rejects.toMatchObject({
      oauthError: 'invalid_grant',
    });
  });
});
