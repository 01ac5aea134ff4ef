import { accountLabel, providerLabels, type AccountId, type ProviderKind } from '../../shared/accounts';
import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import type { MailServerConnection } from '../../shared/mail-server';
import { refuseClearText } from '../mail/clear-text-check';
import { tokenHostRefusal } from '../mail/credential-guard';
import { allowedMailHosts, isAllowedMailHost } from '../oauth/providers/mail-hosts';
import type { ProviderDefaults } from '../oauth/providers/provider-config';
import type { AccountService } from './account-service';

/** What imapflow's `auth` takes for SASL XOAUTH2 or OAUTHBEARER (RFC 7628), whichever the server offers. */
export interface ImapTokenAuth {
  readonly user: string;
  readonly accessToken: string;
}

export interface ImapAccessDeps {
  readonly accounts: Pick<AccountService, 'state' | 'accessToken'>;
  /** The installation's provider configuration: which mail servers each provider's tokens may go to. */
  readonly providerDefaults: ProviderDefaults;
}

export type ImapConnection = Pick<MailServerConnection, 'serverName' | 'port' | 'security' | 'allowInsecureAuth' | 'userName'> & {
  /** An Office 365 shared mailbox the signed-in member opens (inbox settings' sharedMailbox). */
  readonly sharedMailbox?: string | undefined;
};

function notSignedIn(account: AccountId): AppError {
  return { code: ErrorCode.NotSignedIn, message: `${accountLabel(account)} is not signed in yet.`, fix: 'Click “Sign in using Modern Authentication…” first.' };
}

/**
 * The IMAP user for a token. Office 365 opens a shared mailbox (sales@) as the signed-in member with
 * `user=` the shared address (Microsoft Learn, "Authenticate an IMAP, POP or SMTP connection using
 * OAuth": shared mailbox access, which needs Full Access), so a shared mailbox's address is the mailbox
 * to open, else the inbox's Username. Gmail has no such delegation: the token opens the signed-in
 * account's own mailbox only.
 */
export function imapUserFor(provider: ProviderKind, connection: Pick<ImapConnection, 'userName' | 'sharedMailbox'>, signedInAs: string): string {
  if (provider !== 'office365') return signedInAs;
  return connection.sharedMailbox?.trim() || connection.userName.trim() || signedInAs;
}

/**
 * What an inbox set to Modern Authentication signs in to IMAP with: the user and a fresh access token of
 * the inbox's own sign-in (IMAP scopes, never Send Direct's SMTP token), after the rules of
 * credential-guard.ts: nothing in clear text without the user's allowance, and a token only to the mail
 * servers of the provider that issued it.
 */
export function createImapAccess(deps: ImapAccessDeps) {


  return {
    /**
     * With the form's connection (saved or not): refused, or `{ user, accessToken }` for
     * ImapFlowOptions.auth. `forceRefresh` after the server refused a token it had accepted before (a
     * grant revoked at the provider while the token was cached): the refresh then says whether the
     * sign-in is still alive, and marks it needs-reauth if not.
     */
    async imapAccessFor(inbox: AccountId, connection: ImapConnection, options: { readonly forceRefresh?: boolean } = {}): Promise<Result<ImapTokenAuth>> {
      const clearText = await refuseClearText('imap', connection);
      if (clearText) return fail(clearText);
      const state = await deps.accounts.state(inbox);
      if (!state.ok) return state;
      const { status, provider, username, reason } = state.value;
      if (status !== 'signed-in' || !provider || !username) return fail(reason ?? notSignedIn(inbox));
      if (!isAllowedMailHost(connection.serverName, provider, deps.providerDefaults)) {
        return fail(tokenHostRefusal(connection.serverName, providerLabels[provider], allowedMailHosts(provider, deps.providerDefaults)));
      }
      const token = await deps.accounts.accessToken(inbox, { forceRefresh: options.forceRefresh ?? false });
      if (!token.ok) return token;
      return ok({ user: imapUserFor(provider, connection, token.value.username), accessToken: token.value.accessToken });
    },

    /** Who the inbox is signed in as (a shared mailbox's member), or null when nobody is. */
    async signedInAs(inbox: AccountId): Promise<string | null> {
      const state = await deps.accounts.state(inbox);
      return state.ok ? state.value.username : null;
    },
  };
}

export type ImapAccess = ReturnType<typeof createImapAccess>;
