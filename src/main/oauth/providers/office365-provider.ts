import {
  InteractionRequiredAuthError,
  ProtocolMode,
  PublicClientApplication,
  ServerError,
  type AccountInfo,
  type ICachePlugin,
} from '@azure/msal-node';
import type { SecretStore } from '../../secrets/secret-store';
import { oauthErrors, OAuthError } from '../oauth-errors';
import type { ResolvedProvider } from './provider-config';
import type { OAuthProvider, SignedInAccount } from './oauth-provider';

/**
 * Office 365 through MSAL Node. We drive the authorization-code flow ourselves (getAuthCodeUrl +
 * acquireTokenByCode) so that the loopback listener, state and iss checks are ours; MSAL keeps the token
 * cache, in the keychain through its cache plugin, and does the silent refreshes.
 */
export function createOffice365Provider(config: ResolvedProvider, scopes: readonly string[], secrets: SecretStore, cacheAccount: string): OAuthProvider {
  const cachePlugin: ICachePlugin = {
    beforeCacheAccess: async (context) => {
      const stored = await secrets.get(cacheAccount);
      if (stored) context.tokenCache.deserialize(stored);
    },
    afterCacheAccess: async (context) => {
      // Every rotated refresh token is written at once; one keychain item, replaced whole.
      if (context.cacheHasChanged) await secrets.set(cacheAccount, context.tokenCache.serialize());
    },
  };
  const authorityUrl = new URL(config.issuer.endsWith('/') ? config.issuer : `${config.issuer}/`);
  const client = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: authorityUrl.href,
      ...(config.genericAuthority ? { knownAuthorities: [authorityUrl.host] } : {}),
    },
    system: config.genericAuthority ? { protocolMode: ProtocolMode.OIDC } : {},
    cache: { cachePlugin },
  });
  const requestScopes = [...scopes];

  async function findAccount(accountKey: string): Promise<AccountInfo | null> {
    return client.getTokenCache().getAccountByHomeId(accountKey);
  }

  return {
    allowedOrigins: async () => [authorityUrl.origin, 'https://login.live.com', 'https://login.microsoft.com'],

    signInFlow: () => ({
      // Entra does not send `iss` in the authorization response; a generic OpenID authority may.
      issuer: config.genericAuthority ? authorityUrl.href.replace(/\/$/, '') : null,
      redirectHost: 'localhost',
      authorizationUrl: ({ redirectUri, state, codeChallenge }) =>
        client.getAuthCodeUrl({
          scopes: requestScopes,
          redirectUri,
          state,
          codeChallenge,
          codeChallengeMethod: 'S256',
          responseMode: 'form_post',
          // Shows the signed-in Microsoft user as the default choice, with "use another account".
          prompt: 'select_account',
          ...(config.loginHint ? { loginHint: config.loginHint } : {}),
        }),
      redeem: async ({ code, codeVerifier, redirectUri }): Promise<SignedInAccount> => {
        const result = await client.acquireTokenByCode({ code, codeVerifier, redirectUri, scopes: requestScopes });
        const account = result.account;
        if (!account) throw new OAuthError(oauthErrors.notSignedIn);
        const claims = (account.idTokenClaims ?? {}) as Record<string, unknown>;
        const username = account.username || String(claims['preferred_username'] ?? claims['email'] ?? '');
        return { username, accountKey: account.homeAccountId };
      },
    }),

    accessToken: async (accountKey, { forceRefresh }) => {
      const account = await findAccount(accountKey);
      if (!account) throw new OAuthError(oauthErrors.grantExpired);
      try {
        const result = await client.acquireTokenSilent({ account, scopes: requestScopes, forceRefresh });
        return { accessToken: result.accessToken, expiresAt: result.expiresOn ?? new Date(Date.now() + 300_000), refreshed: !result.fromCache };
      } catch (error) {
        if (error instanceof InteractionRequiredAuthError || (error instanceof ServerError && error.errorCode === 'invalid_grant')) {
          // Without this the dead refresh token would be retried forever.
          await client.getTokenCache().removeAccount(account);
        }
        throw error;
      }
    },

    signOut: async (accountKey) => {
      const account = await findAccount(accountKey);
      if (account) await client.getTokenCache().removeAccount(account);
      // Entra offers no revocation endpoint for public clients: forgetting the tokens is what is possible.
      await secrets.delete(cacheAccount);
    },
  };
}
