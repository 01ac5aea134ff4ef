import { integrationIdOfAccount, type AccountId, type Mailbox } from '../../shared/accounts';
import { createOAuth2ClientProvider } from '../oauth/providers/oauth2-client-provider';
import { createOffice365Provider } from '../oauth/providers/office365-provider';
import type { OAuthProvider } from '../oauth/providers/oauth-provider';
import { mailScopes, type ResolvedProvider } from '../oauth/providers/provider-config';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';

/** The provider module for a mailbox: MSAL for Office 365, OAuth2Client for Google and OpenID Connect. */
export function createProvider(mailbox: AccountId, resolved: ResolvedProvider, secrets: SecretStore): OAuthProvider {
  // An added Email Integration mailbox is read like the inboxes: IMAP scopes.
  const scopes = mailScopes[resolved.kind][integrationIdOfAccount(mailbox) === null ? (mailbox as Mailbox) : 'lead'];
  return resolved.kind === 'office365'
    ? createOffice365Provider(resolved, scopes, secrets, secretAccounts.msalCache(mailbox))
    : createOAuth2ClientProvider(resolved, scopes, secrets, secretAccounts.oauthTokens(mailbox));
}
