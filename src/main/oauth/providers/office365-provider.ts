import { InteractionRequiredAuthError, PublicClientApplication, ServerError, type AccountInfo, type ICachePlugin } from '@azure/msal-node';
import type { SecretStore } from '../../secrets/secret-store';
import { oauthErrors, OAuthError } from '../oauth-errors';
import { cachedMsalAccessToken } from './msal-cached-token';
import { authorizationRequestOf, issuerCheckOf, msalConfigurationOf } from './office365-configuration';
import type { ResolvedProvider } from './provider-config';
import type { OAuthProvider, SignedInAccount } from './oauth-provider';
import { storedTokensVersionOf } from './stored-tokens-version';
import { unreadableSignIn } from './unreadable-sign-in';

/**
 * Office 365 through MSAL Node. We drive the authorization-code flow ourselves (getAuthCodeUrl +
 * acquireTokenByCode) so that the loopback listener, state and iss checks are ours; MSAL keeps the token
 * cache, in the keychain through its cache plugin, and does the silent refreshes.
 */
export function createOffice365Provider(
  config: ResolvedProvider,
  scopes: readonly string[],
  secrets: SecretStore,
  cacheAccount: string,
  now: () => number = Date.now,
): OAuthProvider {
  // Whether the last read of the keychain item found something MSAL could not load.
  let storedCacheUnreadable = false;
  const cachePlugin: ICachePlugin = {
    beforeCacheAccess: async (context) => {
      const stored = await secrets.get(cacheAccount);
      storedCacheUnreadable = false;
      if (!stored) return;
      try {
        context.tokenCache.deserialize(stored);
      } catch {
        // Not MSAL's JSON. Forget it as the base of the next write (MSAL would parse it again there and
        // fail), so that a new sign-in replaces it; a token request says it is unreadable.
        storedCacheUnreadable = true;
        context.tokenCache.deserialize('');
      }
    },
    afterCacheAccess: async (context) => {
      // Every rotated refresh token is written at once; one keychain item, replaced whole.
      if (context.cacheHasChanged) await secrets.set(cacheAccount, context.tokenCache.serialize());
    },
  };
  const client = new PublicClientApplication(msalConfigurationOf(config, cachePlugin));

  async function findAccount(accountKey: string): Promise<AccountInfo | null> {
    const account = await client.getTokenCache().getAccountByHomeId(accountKey);
    if (!account && storedCacheUnreadable) throw new OAuthError(unreadableSignIn);
    return account;
  }

  return {
    signInFlow: async () => ({
      issuerCheck: issuerCheckOf(config),
      redirectHost: 'localhost',
      authorizationUrl: (parameters) => client.getAuthCodeUrl(authorizationRequestOf(config, scopes, parameters)),
      redeem: async ({ code, codeVerifier, redirectUri }): Promise<SignedInAccount> => {
        const result = await client.acquireTokenByCode({ code, codeVerifier, redirectUri, scopes: [...scopes] });
        const account = result.account;
        if (!account) throw new OAuthError(oauthErrors.notSignedIn);
        const claims = (account.idTokenClaims ?? {}) as Record<string, unknown>;
        const username = account.username || String(claims['preferred_username'] ?? claims['email'] ?? '');
        return { username, accountKey: account.homeAccountId };
      },
    }),

    cachedAccessToken: async (accountKey) =>
      cachedMsalAccessToken(await secrets.get(cacheAccount), { homeAccountId: accountKey, clientId: config.clientId, scopes }, now()),

    storedTokensVersion: async () => storedTokensVersionOf(await secrets.get(cacheAccount)),

    accessToken: async (accountKey, { forceRefresh }) => {
      const account = await findAccount(accountKey);
      if (!account) throw new OAuthError(oauthErrors.grantExpired);
      try {
        const result = await client.acquireTokenSilent({ account, scopes: [...scopes], forceRefresh });
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
      const account = await client.getTokenCache().getAccountByHomeId(accountKey);
      if (account) await client.getTokenCache().removeAccount(account);
      // Entra offers no revocation endpoint for public clients: forgetting the tokens is what is possible.
      await secrets.delete(cacheAccount);
    },
  };
}
