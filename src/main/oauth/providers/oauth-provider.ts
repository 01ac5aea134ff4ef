import type { AuthorizationCodeFlow } from '../interactive-sign-in';

/** A signed-in account as the provider knows it; `accountKey` finds its tokens again later. */
export interface SignedInAccount {
  readonly username: string;
  readonly accountKey: string;
}

export interface AccessToken {
  readonly accessToken: string;
  readonly expiresAt: Date;
  /** True when this call went to the token endpoint (a refresh), false for a cached token. */
  readonly refreshed: boolean;
}

/**
 * One provider, bound to one mailbox's keychain entries. Token values never leave this object except as
 * the access token handed to the mail code.
 */
export interface OAuthProvider {
  /** The authorization-code flow, once the provider's metadata is known (and checked). */
  signInFlow(): Promise<AuthorizationCodeFlow<SignedInAccount>>;
  /**
   * A still-valid access token as the keychain holds it, without asking the provider; null when a refresh
   * is due (expired, about to expire, missing or unreadable). What lets a caller take the refresh lock
   * only when a refresh is needed.
   */
  cachedAccessToken(accountKey: string): Promise<AccessToken | null>;
  /** A valid access token, refreshed silently when needed; throws OAuthError when a new sign-in is needed. */
  accessToken(accountKey: string, options: { readonly forceRefresh: boolean }): Promise<AccessToken>;
  /**
   * A digest of the tokens as the keychain holds them now (null: none): it changes whenever they are
   * written, by this process or another one, so a caller can tell that a refresh happened meanwhile.
   */
  storedTokensVersion(): Promise<string | null>;
  /** Forgets the account's tokens (and revokes them where the provider offers revocation). */
  signOut(accountKey: string): Promise<void>;
}
