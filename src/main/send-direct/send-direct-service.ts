import { fail, type Result } from '../../shared/errors';
import type { PasswordChange } from '../../shared/mail-server';
import type { SendDirectSettings, SendDirectView } from '../../shared/send-direct';
import { guarded } from '../guarded';
import { passwordNeededForNewServer, storedPasswordMayGoTo } from '../mail/credential-guard';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import type { EventBus } from '../events/event-bus';

export interface SendDirectService {
  get(): Promise<Result<SendDirectView>>;
  save(settings: SendDirectSettings, password: PasswordChange): Promise<Result<SendDirectView>>;
  /** The stored password, for the mail code only; never for the renderer. */
  password(): Promise<string | null>;
}

export interface SendDirectDeps {
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly events: EventBus;
}

export function createSendDirectService({ settings, secrets, events }: SendDirectDeps): SendDirectService {
  const account = secretAccounts.sendDirectPassword;

  async function view(): Promise<SendDirectView> {
    return {
      settings: settings.getMailbox('send'),
      passwordStored: (await secrets.get(account)) !== null,
      encryptionTurnedOn: settings.encryptionTurnedOnNotice('send'),
    };
  }

  return {
    get: () => guarded(view),

    save: async (next, password) => {
      // "Keep" would leave the stored password in place for a server it was not saved for: the next send
      // would hand it over. A new destination needs its own password (or none).
      if (next.authMethod === 'password' && password.kind === 'keep') {
        const previous = await guarded(async () => ({ saved: settings.getMailbox('send'), stored: (await secrets.get(account)) !== null }));
        if (!previous.ok) return previous;
        const { saved, stored } = previous.value;
        if (stored && !storedPasswordMayGoTo(saved, next)) return fail(passwordNeededForNewServer);
      }
      return guarded(async () => {
        // The keychain goes first: if it refuses, nothing changes at all, and nothing lands in a file.
        if (next.authMethod !== 'password') {
          // Modern Authentication needs no password; keeping an unused one would only be a liability.
          await secrets.delete(account);
        } else if (password.kind === 'set') {
          await secrets.set(account, password.value);
        } else if (password.kind === 'clear') {
          await secrets.delete(account);
        }
        settings.setMailbox('send', next);
        const saved = await view();
        events.emit('sendDirectChanged', saved);
        return saved;
      });
    },

    password: () => secrets.get(account),
  };
}
