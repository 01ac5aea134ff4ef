import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import type { InboxSettings } from '../../shared/inbox';
import { authMethodLabels, sendsSecretsInClear, type PasswordChange } from '../../shared/mail-server';
import { mailboxNames, type InboxId } from '../../shared/mailboxes';
import type { SecretRegistry } from '../log/redact';
import { probeCertificate } from '../mail/certificate-probe';
import { clearTextRefusal, passwordNeededForNewServer, storedPasswordMayGoTo } from '../mail/credential-guard';
import { secretAccounts, SecretStoreError, type SecretStore } from '../secrets/secret-store';
import { SettingsError, type SettingsStore } from '../settings/settings-store';

export interface InboxCredentialsDeps {
  readonly settings: Pick<SettingsStore, 'getMailbox'>;
  readonly secrets: Pick<SecretStore, 'get'>;
  readonly secretRegistry: SecretRegistry;
}

/** What an inbox signs in to IMAP with (LOGIN or AUTHENTICATE PLAIN, as the server offers). */
export interface InboxPassword {
  readonly user: string;
  readonly pass: string;
}

const enterPassword = 'Enter the password for your mailbox.';

/**
 * What an inbox signs in with, after the rules of credential-guard.ts, as Send Direct obeys them: a stored
 * password only to the server, port, user and method it was saved for; nothing in clear text unless the
 * user allowed it. Modern Authentication for the inboxes comes with their sign-in (issue 11, part 2);
 * until then an inbox set to it is not signed in.
 */
export function createInboxCredentials(deps: InboxCredentialsDeps) {
  /** What the server offers instead of clear text, asked without credentials, so the refusal can say what to choose. */
  async function securityOffered(connection: InboxSettings): Promise<'starttls' | 'tls' | null> {
    const target = { protocol: 'imap' as const, host: connection.serverName, port: connection.port };
    if (await probeCertificate({ ...target, security: 'starttls' }, 3000)) return 'starttls';
    if (await probeCertificate({ ...target, security: 'tls' }, 1500)) return 'tls';
    return null;
  }

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
    async passwordFor(inbox: InboxId, connection: InboxSettings, password: PasswordChange): Promise<Result<InboxPassword>> {
      const clearText = clearTextRefusal('imap', connection, sendsSecretsInClear(connection) ? await securityOffered(connection) : null);
      if (clearText) return fail(clearText);
      if (connection.authMethod !== 'password') {
        return fail({
          code: ErrorCode.NotSignedIn,
          message: `${mailboxNames[inbox]} cannot sign in with Modern Authentication yet in this version of Mail Settings.`,
          fix: `Choose “${authMethodLabels.password}” and enter the mailbox’s password (for an account with multi-factor authentication, an app password).`,
          fieldErrors: { authMethod: `Choose “${authMethodLabels.password}” for now.` },
        });
      }
      const chosen = await chosenPassword(inbox, connection, password);
      if (!chosen.ok) return chosen;
      if (!chosen.value) return fail({ code: ErrorCode.InvalidInput, message: enterPassword, fieldErrors: { password: enterPassword } });
      deps.secretRegistry.remember(chosen.value);
      return ok({ user: connection.userName, pass: chosen.value });
    },
  };
}

export type InboxCredentials = ReturnType<typeof createInboxCredentials>;
