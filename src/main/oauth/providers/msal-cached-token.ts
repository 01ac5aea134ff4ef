import type { JsonCache, SerializedAccessTokenEntity } from '@azure/msal-node';
import type { AccessToken } from './oauth-provider';

/**
 * An access token still good in a serialized MSAL token cache, read without MSAL: MSAL's silent call
 * would refresh by itself when the token is due (and, past `refresh_on`, even when it is not), and a
 * refresh must happen only under the refresh lock. The cache is MSAL's public serialized format
 * (`JsonCache`, the schema every MSAL library shares).
 *
 * The rules are MSAL's own (msal-common SilentFlowClient.acquireCachedToken): the same account and
 * client, every requested resource scope in the token's target (OIDC scopes name no resource and are not
 * kept in it), and not expired within MSAL's default renewal offset (DEFAULT_TOKEN_RENEWAL_OFFSET_SEC).
 * Anything else, or any doubt (two matches, a bound token, a clock turned back), is "refresh": then MSAL
 * decides, under the lock.
 */

const renewalOffsetSeconds = 300;
const identityScopes = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface CachedTokenQuery {
  readonly homeAccountId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
}

function parseCache(serialized: string): Partial<JsonCache> | null {
  try {
    const parsed: unknown = JSON.parse(serialized);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<JsonCache>) : null;
  } catch {
    return null;
  }
}

function covers(entry: SerializedAccessTokenEntity, query: CachedTokenQuery): boolean {
  const target = new Set(String(entry.target ?? '').toLowerCase().split(' ').filter(Boolean));
  return query.scopes.filter((scope) => !identityScopes.has(scope.toLowerCase())).every((scope) => target.has(scope.toLowerCase()));
}

export function cachedMsalAccessToken(serialized: string | null, query: CachedTokenQuery, nowMs: number): AccessToken | null {
  const cache = serialized === null ? null : parseCache(serialized);
  if (!cache?.AccessToken || typeof cache.AccessToken !== 'object') return null;
  const matches = Object.values(cache.AccessToken).filter(
    (entry) =>
      entry?.credential_type?.toLowerCase() === 'accesstoken' &&
      entry.home_account_id === query.homeAccountId &&
      entry.client_id === query.clientId &&
      covers(entry, query),
  );
  const [entry] = matches;
  if (matches.length !== 1 || !entry || !entry.secret || entry.key_id) return null;
  // Rounded as MSAL rounds (TimeUtils.nowSeconds): a token cached in the same second is not from the future.
  const nowSeconds = Math.round(nowMs / 1000);
  const expiresOn = Number(entry.expires_on);
  const cachedAt = Number(entry.cached_at);
  const refreshOn = entry.refresh_on === undefined ? null : Number(entry.refresh_on);
  if (!Number.isFinite(expiresOn) || nowSeconds + renewalOffsetSeconds > expiresOn) return null;
  if (!Number.isFinite(cachedAt) || cachedAt > nowSeconds) return null;
  if (refreshOn !== null && !(refreshOn > nowSeconds)) return null;
  return { accessToken: entry.secret, expiresAt: new Date(expiresOn * 1000), refreshed: false };
}
