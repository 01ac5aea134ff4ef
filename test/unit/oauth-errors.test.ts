import { describe, expect, it } from 'vitest';
import { oauthErrorOf, OAuthError, oauthErrors } from '../../src/main/oauth/oauth-errors';

/** Shapes as MSAL, gaxios and Node throw them (test-servers.md, providers.md). */
const msal = (errorCode: string, errorMessage: string, subError = '') => Object.assign(new Error(errorMessage), { errorCode, errorMessage, subError });
const gaxios = (error: string, status = 400) => Object.assign(new Error(error), { status, response: { data: { error } } });
const network = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('sign-in and token failures, in words with a fix', () => {
  it('AADSTS65001: admin consent, with the admin-consent link for the app and tenant', () => {
    const error = oauthErrorOf(msal('invalid_grant', 'AADSTS65001: The user or administrator has not consented to use the application'), {
      clientId: 'app-123',
      tenant: 'contoso.onmicrosoft.com',
    });
    expect(error.code).toBe('CONSENT_REQUIRED');
    expect(error.message).toMatch(/administrator to approve/);
    expect(error.fix).toContain('https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=app-123');
  });

  it.each([
    ['AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication', 'MFA_REQUIRED', /second sign-in step/],
    ['AADSTS53003: Access has been blocked by Conditional Access policies', 'CONDITIONAL_ACCESS_BLOCKED', /Conditional Access/],
    ['AADSTS700082: The refresh token has expired due to inactivity', 'GRANT_EXPIRED', /expired or was revoked/],
    ['AADSTS50173: The provided grant has expired due to it being revoked', 'GRANT_EXPIRED', /expired or was revoked/],
    ['AADSTS90072: User account from identity provider does not exist in tenant', 'USER_NOT_IN_TENANT', /does not belong to the organisation/],
    ['AADSTS9002327: Tokens issued for the Single-Page Application client-type', 'WRONG_APP_PLATFORM', /single-page app/],
  ])('%s', (message, code, sentence) => {
    const error = oauthErrorOf(msal('invalid_grant', message));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(sentence);
    expect(error.fix).toBeTruthy();
  });

  it('access_denied at consent: the user declined', () => {
    expect(oauthErrorOf(msal('access_denied', 'End-User aborted interaction')).code).toBe('ACCESS_DENIED');
    expect(oauthErrorOf(Object.assign(new Error('x'), { error: 'access_denied' })).fix).toMatch(/Accept/);
  });

  it('invalid_grant from MSAL (InteractionRequired or ServerError) and from Google means a new sign-in', () => {
    expect(oauthErrorOf(Object.assign(msal('invalid_grant', 'grant request is invalid'), { name: 'InteractionRequiredAuthError' }))).toEqual(oauthErrors.grantExpired);
    expect(oauthErrorOf(msal('invalid_grant', 'grant request is invalid'))).toEqual(oauthErrors.grantExpired);
    expect(oauthErrorOf(gaxios('invalid_grant'))).toEqual(oauthErrors.grantExpired);
  });

  it('TLS failures to the identity provider, including MSAL’s misleading endpoints_resolution_error', () => {
    expect(oauthErrorOf(msal('endpoints_resolution_error', 'Endpoints cannot be resolved')).code).toBe('IDENTITY_PROVIDER_TLS');
    expect(oauthErrorOf(network('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain')).code).toBe('IDENTITY_PROVIDER_TLS');
  });

  it('an unreachable identity provider', () => {
    expect(oauthErrorOf(network('ENOTFOUND', 'getaddrinfo ENOTFOUND login.example')).code).toBe('IDENTITY_PROVIDER_UNREACHABLE');
    expect(oauthErrorOf(Object.assign(new TypeError('fetch failed'), { cause: network('ECONNREFUSED') })).code).toBe('IDENTITY_PROVIDER_UNREACHABLE');
  });

  it('keeps an already-translated error, and never leaks a token in an unknown one', () => {
    expect(oauthErrorOf(new OAuthError(oauthErrors.timedOut))).toBe(oauthErrors.timedOut);
    const unknown = oauthErrorOf(new Error('weird failure with refresh_token=rt-abcdef0123 inside'));
    expect(unknown.code).toBe('SIGN_IN_FAILED');
    expect(unknown.message).not.toContain('rt-abcdef0123');
  });
});
