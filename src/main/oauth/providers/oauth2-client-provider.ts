import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
import { z } from 'zod';
import type { SecretStore } from '../../secrets/secret-store';
import { oauthErrors, OAuthError } from '../oauth-errors';
import { discoverEndpoints, type ProviderEndpoints } from './openid-discovery';
import type { ResolvedProvider } from './provider-config';
import type { AccessToken, OAuthProvider, SignedInAccount } from './oauth-provider';
import { storedTokensVersionOf } from './stored-tokens-version';
import { unreadableSignIn } from './unreadable-sign-in';

/** What is kept in the keychain for a Google or OpenID Connect account: one JSON item, replaced whole. */
const storedTokensSchema = z.object({
  refreshToken: z.string().min(1),
  accessToken: z.string().nullable(),
  expiresAt: z.number().nullable(),
});
type StoredTokens = z.infer<typeof storedTokensSchema>;

/** Refresh this long before expiry, as Google's and Microsoft's libraries do. */
const refreshMarginMs = 5 * 60_000;

/**
 * Google (and any OpenID Connect provider) through google-auth-library's OAuth2Client, with the
 * endpoints of the configured issuer. Google requires the system browser and a 127.0.0.1 redirect.
 */
export function createOAuth2ClientProvider(
  config: ResolvedProvider,
  scopes: readonly string[],
  secrets: SecretStore,
  tokensAccount: string,
  now: () => number = Date.now,
): OAuthProvider {
  let endpoints: Promise<ProviderEndpoints> | undefined;
  const getEndpoints = (): Promise<ProviderEndpoints> => (endpoints ??= discoverEndpoints(config.issuer).catch((error: unknown) => {
    endpoints = undefined;
    throw error;
  }));

  async function client(): Promise<OAuth2Client> {
    const found = await getEndpoints();
    return new OAuth2Client({
      clientId: config.clientId,
      ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
      endpoints: { oauth2AuthBaseUrl: found.authorizationEndpoint, oauth2TokenUrl: found.tokenEndpoint },
    });
  }

  /** The stored tokens; null when there are none; an OAuthError when the item is not what we wrote. */
  async function readTokens(): Promise<StoredTokens | null> {
    const raw = await secrets.get(tokensAccount);
    if (!raw) return null;
    const parsed = storedTokensSchema.safeParse(parseJson(raw));
    if (!parsed.success) throw new OAuthError(unreadableSignIn);
    return parsed.data;
  }

  const writeTokens = (tokens: StoredTokens): Promise<void> => secrets.set(tokensAccount, JSON.stringify(tokens));

  /** The stored access token while it is good for more than the refresh margin. */
  const stillValid = (stored: StoredTokens): AccessToken | null =>
    stored.accessToken && stored.expiresAt !== null && stored.expiresAt - refreshMarginMs > now()
      ? { accessToken: stored.accessToken, expiresAt: new Date(stored.expiresAt), refreshed: false }
      : null;

  return {
    signInFlow: async () => {
      const { issuer, issParameterSupported } = await getEndpoints();
      return {
        issuerCheck: issParameterSupported ? { kind: 'required', issuer } : { kind: 'when-present', issuer },
        redirectHost: '127.0.0.1',
        authorizationUrl: async ({ redirectUri, state, codeChallenge }) =>
          (await client()).generateAuthUrl({
            access_type: 'offline',
            prompt: 'consent',
            scope: [...scopes],
            state,
            code_challenge_method: CodeChallengeMethod.S256,
            code_challenge: codeChallenge,
            redirect_uri: redirectUri,
            ...(config.loginHint ? { login_hint: config.loginHint } : {}),
          }),
        redeem: async ({ code, codeVerifier, redirectUri }): Promise<SignedInAccount> => {
          const { tokens } = await (await client()).getToken({ code, codeVerifier, redirect_uri: redirectUri });
          if (!tokens.refresh_token) throw new OAuthError({ ...oauthErrors.grantExpired, message: 'The provider did not grant lasting access (no refresh token).' });
          await writeTokens({ refreshToken: tokens.refresh_token, accessToken: tokens.access_token ?? null, expiresAt: tokens.expiry_date ?? null });
          const username = usernameOf(tokens);
          return { username, accountKey: username };
        },
      };
    },

    cachedAccessToken: async () => {
      const stored = await readTokens().catch(() => null);
      return stored ? stillValid(stored) : null;
    },

    storedTokensVersion: async () => storedTokensVersionOf(await secrets.get(tokensAccount)),

    accessToken: async (_accountKey, { forceRefresh }) => {
      const stored = await readTokens();
      if (!stored) throw new OAuthError(oauthErrors.grantExpired);
      const cached = forceRefresh ? null : stillValid(stored);
      if (cached) return cached;
      const oauth = await client();
      // With rotation the new refresh token arrives only in the 'tokens' event, and the library then
      // overwrites that same object with the old refresh token: keep a copy taken at the event.
      let rotated: Credentials | null = null;
      oauth.on('tokens', (tokens) => (rotated = { ...tokens }));
      oauth.setCredentials({ refresh_token: stored.refreshToken });
      let accessToken: string | null | undefined;
      try {
        accessToken = (await oauth.getAccessToken()).token;
      } catch (error) {
        if (isInvalidGrant(error)) await secrets.delete(tokensAccount);
        throw error;
      }
      if (!accessToken) throw new OAuthError(oauthErrors.grantExpired);
      const fresh = (rotated ?? oauth.credentials) as Credentials;
      const expiresAt = fresh.expiry_date ?? now() + 3_600_000;
      await writeTokens({ refreshToken: fresh.refresh_token ?? stored.refreshToken, accessToken, expiresAt });
      return { accessToken, expiresAt: new Date(expiresAt), refreshed: true };
    },

    signOut: async () => {
      // An unreadable item has no token to revoke; it is deleted all the same.
      const stored = await readTokens().catch(() => null);
      await secrets.delete(tokensAccount);
      const revocation = stored ? (await getEndpoints().catch(() => null))?.revocationEndpoint : null;
      if (stored && revocation) {
        // Best effort: the tokens are already gone from this computer whatever the provider answers.
        const body = new URLSearchParams({ token: stored.refreshToken, token_type_hint: 'refresh_token', client_id: config.clientId });
        if (config.clientSecret) body.set('client_secret', config.clientSecret);
        await fetch(revocation, { method: 'POST', body, signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
      }
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isInvalidGrant(error: unknown): boolean {
  const record = error as { message?: unknown; response?: { data?: { error?: unknown } } };
  return record?.message === 'invalid_grant' || record?.response?.data?.error === 'invalid_grant';
}

/**
 * The account's address from the ID token. The token came straight from the token endpoint over TLS in
 * exchange for our code (OIDC Core 3.1.3.7), so its claims are read without a second signature check.
 */
function usernameOf(tokens: Credentials): string {
  const payload = tokens.id_token?.split('.')[1];
  if (!payload) return '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return String(claims['email'] ?? claims['preferred_username'] ?? claims['sub'] ?? '');
}
