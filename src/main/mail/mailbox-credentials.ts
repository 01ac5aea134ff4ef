import type { Mailbox } from '../../shared/accounts';
import { providerLabels } from '../../shared/accounts';
import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import type { MailServerConnection, PasswordChange } from '../../shared/mail-server';
import { mailboxNames, mailboxProtocols } from '../../shared/mailboxes';
import type { AccountService } from '../accounts/account-service';
import type { SecretRegistry } from '../log/redact';
import { OAuthError } from '../oauth/oauth-errors';
import { allowedMailHosts, isAllowedMailHost } from '../oauth/providers/mail-hosts';
import type { ProviderDefaults } from '../oauth/providers/provider-config';
import { SecretStoreError } from '../secrets/secret-store';
import { SettingsError, type SettingsStore } from '../settings/settings-store';
import { refuseClearText } from './clear-text-check';
import { passwordNeededForNewServer, storedPasswordMayGoTo, tokenHostRefusal } from './credential-guard';
import type { MailAuth } from './mail-auth';

export interface MailboxCredentialsDeps {
  readonly settings: Pick<SettingsStore, 'getMailbox'>;
  /**
   * The stored password (the keychain) of each mailbox this signs in for, for the mail code only; never for
   * the renderer. The inboxes keep theirs through inbox-credentials.ts.
   */
  readonly storedPasswords: Readonly<Partial<Record<Mailbox, () => Promise<string | null>>>>;
  readonly accounts: Pick<AccountService, 'state' | 'accessToken'>;
  /** The installation's provider configuration: which mail servers each provider's tokens may go to. */
  readonly providerDefaults: ProviderDefaults;
  readonly secretRegistry: SecretRegistry;
}

const enterPassword = 'Enter the password for your mail server.';

/**
 * What a mailbox signs in with, after the rules of credential-guard.ts: a stored password only to the
 * destination it was saved for, a token only to its provider's servers, neither in clear text unless the
 * user allowed it. The same for SMTP and IMAP.
 */
export function createMailboxCredentials(deps: MailboxCredentialsDeps) {


  async function passwordAuth(mailbox: Mailbox, connection: MailServerConnection, password: PasswordChange): Promise<Result<MailAuth>> {
    let value: string | null;
    try {
      if (password.kind === 'keep') {
        const saved = deps.settings.getMailbox(mailbox);
        if (saved && !storedPasswordMayGoTo(saved, connection)) return fail(passwordNeededForNewServer);
        value = saved ? ((await deps.storedPasswords[mailbox]?.()) ?? null) : null;
      } else {
        value = password.kind === 'set' ? password.value : null;
      }
    } catch (error) {
      // The keychain or the settings file could not be read: say so, as Save does, instead of an internal error.
      if (error instanceof SecretStoreError || error instanceof SettingsError) return fail(error.appError);
      throw error;
    }
    if (!value) return fail({ code: ErrorCode.InvalidInput, message: enterPassword, fieldErrors: { password: enterPassword } });
    deps.secretRegistry.remember(value);
    return ok({ kind: 'password', user: connection.userName, password: value });
  }

  async function tokenAuth(mailbox: Mailbox, connection: MailServerConnection): Promise<Result<MailAuth>> {
    const state = await deps.accounts.state(mailbox);
    if (!state.ok) return state;
    if (state.value.status !== 'signed-in' || !state.value.username || !state.value.provider) {
      const reason = state.value.reason;
      return fail(reason ?? { code: ErrorCode.NotSignedIn, message: `${mailboxNames[mailbox]} is not signed in yet.`, fix: 'Click “Sign in using Modern Authentication…” first.' });
    }
    const provider = state.value.provider;
    if (!isAllowedMailHost(connection.serverName, provider, deps.providerDefaults)) {
      return fail(tokenHostRefusal(connection.serverName, providerLabels[provider], allowedMailHosts(provider, deps.providerDefaults)));
    }
    return ok({
      kind: 'xoauth2',
      // A shared mailbox: authenticate as the signed-in delegate (Send Direct then sends as the Sender Email Address).
      user: state.value.username,
      token: async (renew) => {
        const token = await deps.accounts.accessToken(mailbox, { forceRefresh: renew });
        if (!token.ok) throw new OAuthError(token.error);
        return token.value.accessToken;
      },
    });
  }

  return {
    /** With the form's connection (saved or not) and its password field's answer. */
    async credentialsFor(mailbox: Mailbox, connection: MailServerConnection, password: PasswordChange): Promise<Result<MailAuth>> {
      const clearText = await refuseClearText(mailboxProtocols[mailbox], connection);
      if (clearText) return fail(clearText);
      return connection.authMethod === 'password' ? passwordAuth(mailbox, connection, password) : tokenAuth(mailbox, connection);
    },
  };
}

export type MailboxCredentials = ReturnType<typeof createMailboxCredentials>;
