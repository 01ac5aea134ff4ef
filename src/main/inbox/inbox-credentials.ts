import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import { sharedMailboxAuthMethod, type InboxSettings } from '../../shared/inbox';
import type { PasswordChange } from '../../shared/mail-server';
import type { InboxId } from '../../shared/mailboxes';
import type { SecretRegistry } from '../log/redact';
import type { ImapAccess, ImapTokenAuth } from '../accounts/imap-access';
import { refuseClearText } from '../mail/clear-text-check';
import { passwordNeededForNewServer, storedPasswordMayGoTo } from '../mail/credential-guard';
import { secretAccounts, SecretStoreError, type SecretStore } from '../secrets/secret-store';
import { SettingsError, type SettingsStore } from '../settings/settings-store';
import { sharedMailboxRefusal } from './shared-mailbox-refusal';

export interface InboxCredentialsDeps {
  readonly settings: Pick<SettingsStore, 'getMailbox'>;
  readonly secrets: Pick<SecretStore, 'get'>;
  readonly secretRegistry: SecretRegistry;
  /** An inbox on Modern Authentication signs in with its own token (IMAP scopes). */
  readonly imapAccess: Pick<ImapAccess, 'imapAccessFor' | 'signedInAs'>;
}

/** What an inbox signs in to IMAP with (LOGIN or AUTHENTICATE PLAIN, as the server offers). */
export interface InboxPassword {
  readonly user: string;
  readonly pass: string;
}

/** A password, or a token for SASL XOAUTH2 / OAUTHBEARER (RFC 7628). */
export type InboxSignIn = InboxPassword | ImapTokenAuth;

const enterPassword = 'Enter the password for your mailbox.';

/**
 * What an inbox signs in with, after the rules of credential-guard.ts, as Send Direct obeys them: a stored
 * password only to the server, port, user and method it was saved for; nothing in clear text unless the
 * user allowed it; on Modern Authentication, the inbox's own token, only to its provider's mail servers.
 */
export function createInboxCredentials(deps: InboxCredentialsDeps) {


  async function chosenPassword(inbox: InboxId, connection: InboxSettings, password: PasswordChange): Promise<Result<string | null>> {
    try {
      if (password.kind === 'set') return ok(password.value);
      if (password.kind === 'clear') return ok(null);
      const saved = deps.settings.getMailbox(inbox);
      if (saved && !storedPasswordMayGoTo(saved, connection)) return fail(passwordNeededForNewServer);
      return ok(saved ? await deps.secrets.get(secretAccounts.mailboxPassword(inbox)) : null);
    } catch (error) {
      // The keychain or the settings file could not be read: say so, as Save does, not as an internal error.
      if (error instanceof SecretStoreError || error instanceof SettingsError) return fail(error.appError);
      throw error;
    }
  }

  return {
    /** With the form's connection (saved or not) and its password field's answer. */
    async signInFor(inbox: InboxId, connection: InboxSettings, password: PasswordChange): Promise<Result<InboxSignIn>> {
      const clearText = await refuseClearText('imap', connection);
      if (clearText) return fail(clearText);
      if (connection.authMethod !== 'password') return deps.imapAccess.imapAccessFor(inbox, connection);
      const chosen = await chosenPassword(inbox, connection, password);
      if (!chosen.ok) return chosen;
      if (!chosen.value) return fail({ code: ErrorCode.InvalidInput, message: enterPassword, fieldErrors: { password: enterPassword } });
      deps.secretRegistry.remember(chosen.value);
      return ok({ user: connection.userName, pass: chosen.value });
    },

    /**
     * A refused sign-in (Test Connection's or a run's), said right for a shared mailbox: Office 365
     * refuses a member without Full Access as it refuses a dead token, so the member's sign-in is
     * refreshed first. A dead one is the reason (and it asks for Re-authenticate Now); a live one means
     * the member has no access to the shared mailbox. "Authenticated but not connected" needs no refresh:
     * the sign-in was accepted. Other refusals pass through unchanged.
     */
    async explainRefusal(inbox: InboxId, connection: InboxSettings, error: AppError): Promise<AppError> {
      const { sharedMailbox } = connection;
      const refused = error.code === ErrorCode.ImapAuthFailed || error.code === ErrorCode.MailboxNotConnected;
      if (!refused || connection.authMethod !== sharedMailboxAuthMethod || sharedMailbox === undefined) return error;
      if (error.code === ErrorCode.ImapAuthFailed) {
        const refreshed = await deps.imapAccess.imapAccessFor(inbox, connection, { forceRefresh: true });
        if (!refreshed.ok) return refreshed.error;
      }
      const member = (await deps.imapAccess.signedInAs(inbox)) ?? connection.userName;
      return sharedMailboxRefusal(member, sharedMailbox, error.code);
    },
  };
}

export type InboxCredentials = ReturnType<typeof createInboxCredentials>;
