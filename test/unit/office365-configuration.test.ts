import { ProtocolMode, PublicClientApplication, type INetworkModule } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { runInteractiveSignIn } from '../../src/main/oauth/interactive-sign-in';
import { authorizationRequestOf, issuerCheckOf, msalConfigurationOf } from '../../src/main/oauth/providers/office365-configuration';
import { createOffice365Provider } from '../../src/main/oauth/providers/office365-provider';
import { mailScopes, providerDefaultsFromEnv, resolveProvider, type ResolvedProvider } from '../../src/main/oauth/providers/provider-config';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { mailboxes, providerOptionsSchema } from '../../src/shared/accounts';

/**
 * The MSAL configuration Office 365 gets in its real mode (no MAIL_SETTINGS_OFFICE365_AUTHORITY): every
 * other test points it at the local identity provider. The sign-in URL is built by the real MSAL, with
 * a network client that refuses every request: the real mode must not need the network to build it.
 */

const clientId = '11111111-2222-3333-4444-555555555555';
const smtpScopes = ['https://outlook.office.com/SMTP.Send', 'offline_access', 'openid', 'profile', 'email'];

/** Office 365 after defaults: a mailbox's own settings (as the form sends them) over the installation's environment. */
function resolved(mailbox: Record<string, string> = {}, env: Record<string, string> = {}): ResolvedProvider {
  const options = providerOptionsSchema.parse({ kind: 'office365', ...mailbox });
  return resolveProvider(options, providerDefaultsFromEnv({ MAIL_SETTINGS_OFFICE365_CLIENT_ID: clientId, ...env }));
}

/** MSAL's network client, replaced: records what MSAL would fetch, and fetches nothing. */
function refusingNetwork(): INetworkModule & { readonly requests: string[] } {
  const requests: string[] = [];
  const refuse = async (url: string): Promise<never> => {
    requests.push(url);
    throw new Error(`no network in this test: ${url}`);
  };
  return { requests, sendGetRequestAsync: refuse, sendPostRequestAsync: refuse };
}

async function signInUrlOf(config: ResolvedProvider, redirectUri: string): Promise<{ url: URL; requests: string[] }> {
  const network = refusingNetwork();
  const configuration = msalConfigurationOf(config);
  const client = new PublicClientApplication({ ...configuration, system: { ...configuration.system, networkClient: network } });
  const href = await client.getAuthCodeUrl(authorizationRequestOf(config, mailScopes.office365.send, { redirectUri, state: 'state-1', codeChallenge: 'c'.repeat(43) }));
  return { url: new URL(href), requests: network.requests };
}

describe('Office 365 as shipped: the MSAL configuration', () => {
  it('signs in at login.microsoftonline.com for the tenant "organizations", with Entra’s own protocol', () => {
    const configuration = msalConfigurationOf(resolved());
    expect(configuration.auth).toEqual({ clientId, authority: 'https://login.microsoftonline.com/organizations/' });
    // Entra needs no knownAuthorities and no authority metadata: MSAL has Microsoft's clouds built in.
    expect(configuration.system?.protocolMode).toBeUndefined();
  });

  it('uses the installation’s tenant, and a mailbox’s own tenant over it', () => {
    const env = { MAIL_SETTINGS_OFFICE365_TENANT: ' contoso.onmicrosoft.com ' };
    expect(msalConfigurationOf(resolved({}, env)).auth.authority).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/');
    expect(msalConfigurationOf(resolved({ tenant: 'fabrikam.onmicrosoft.com' }, env)).auth.authority).toBe('https://login.microsoftonline.com/fabrikam.onmicrosoft.com/');
  });

  it('does not require `iss` in the authorization response (Entra sends none)', () => {
    expect(issuerCheckOf(resolved())).toEqual({ kind: 'none' });
  });

  it('builds the sign-in URL offline: authorize endpoint of the tenant, SMTP scope, loopback redirect, PKCE', async () => {
    const { url, requests } = await signInUrlOf(resolved({}, { MAIL_SETTINGS_OFFICE365_TENANT: 'contoso.onmicrosoft.com' }), 'http://localhost:53117/');
    expect(requests).toEqual([]);
    expect(`${url.origin}${url.pathname}`).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize');
    const parameters = Object.fromEntries(url.searchParams);
    expect(parameters).toMatchObject({
      client_id: clientId,
      scope: 'https://outlook.office.com/SMTP.Send offline_access openid profile email',
      redirect_uri: 'http://localhost:53117/',
      response_type: 'code',
      response_mode: 'form_post',
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
      state: 'state-1',
      prompt: 'select_account',
    });
  });

  it('names the mailbox’s user when it is known (Re-authenticate Now) instead of showing the account picker', async () => {
    const { url } = await signInUrlOf(resolved({ loginHint: 'sales@contoso.example' }), 'http://localhost:53117/');
    expect(url.searchParams.get('login_hint')).toBe('sales@contoso.example');
    expect(url.searchParams.get('prompt')).toBeNull();
  });

  it('the provider module puts it together: http://localhost:<port>/ from the real loopback listener, no iss check', async () => {
    const flow = await createOffice365Provider(resolved(), mailScopes.office365.send, createMemorySecretStore(), 'oauth/send/msal-cache').signInFlow();
    expect(flow.issuerCheck).toEqual({ kind: 'none' });
    const shown: { url: string; redirectUri: string }[] = [];
    // A window the user closes at once: the sign-in stops there, having built its URL.
    const signIn = runInteractiveSignIn(flow, {
      show: async (url, redirectUri) => {
        shown.push({ url, redirectUri });
        return { closed: Promise.resolve(), close: () => undefined };
      },
      timeoutMs: 60_000,
    });
    await expect(signIn).rejects.toMatchObject({ appError: { code: 'SIGN_IN_CANCELLED' } });
    const [{ url, redirectUri } = { url: '', redirectUri: '' }] = shown;
    expect(redirectUri).toMatch(/^http:\/\/localhost:\d+\/$/);
    const sent = new URL(url);
    expect(`${sent.origin}${sent.pathname}`).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
    expect(sent.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(sent.searchParams.get('scope')).toBe(smtpScopes.join(' '));
  });
});

describe('Office 365 pointed at another authority (how the tests reach the local identity provider)', () => {
  const custom = (): ResolvedProvider => resolved({}, { MAIL_SETTINGS_OFFICE365_AUTHORITY: 'https://127.0.0.1:8443' });

  it('names the authority as known and speaks plain OpenID Connect to it', () => {
    const configuration = msalConfigurationOf(custom());
    expect(configuration.auth).toEqual({ clientId, authority: 'https://127.0.0.1:8443/', knownAuthorities: ['127.0.0.1:8443'] });
    expect(configuration.system?.protocolMode).toBe(ProtocolMode.OIDC);
  });

  it('compares an `iss` the authority sends with it, without requiring one', () => {
    expect(issuerCheckOf(custom())).toEqual({ kind: 'when-present', issuer: 'https://127.0.0.1:8443' });
  });
});

describe('scopes per mailbox', () => {
  it('Office 365 Send Direct: SMTP.Send on Outlook, a refresh token, and the user’s name and address', () => {
    expect(mailScopes.office365.send).toEqual(smtpScopes);
  });

  it('every mailbox asks Office 365 for one resource only (a token is for one audience), and for a refresh token', () => {
    for (const mailbox of mailboxes) {
      const scopes = mailScopes.office365[mailbox];
      const resources = new Set(scopes.filter((scope) => scope.startsWith('https://')).map((scope) => new URL(scope).origin));
      expect(resources, mailbox).toEqual(new Set(['https://outlook.office.com']));
      expect(scopes, mailbox).toContain('offline_access');
    }
  });

  it('Google asks for the mailbox (https://mail.google.com/) and the address; OpenID Connect for a refresh token', () => {
    expect(mailScopes.google.send).toEqual(['https://mail.google.com/', 'openid', 'email']);
    expect(mailScopes.oidc.send).toEqual(['openid', 'email', 'profile', 'offline_access']);
  });
});
