import type { Result } from '../../shared/errors';
import type { PasswordChange, SendDirectSettings, SendDirectView } from '../../shared/send-direct';
import { guarded } from '../guarded';
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
    return { settings: settings.getSendDirect(), passwordStored: (await secrets.get(account)) !== null };
  }

  return {
    get: () => guarded(view),

    save: (next, password) =>
      guarded(async () => {
        // The keychain goes first: if it refuses, nothing changes at all, and nothing lands in a file.
        if (next.authMethod !== 'password') {
          // Modern Authentication needs no password; keeping an unused one would only be a liability.
          await secrets.delete(account);
        } else if (password.kind === 'set') {
          await secrets.set(account, password.value);
        } else if (password.kind === 'clear') {
          await secrets.delete(account);
        }
        settings.setSendDirect(next);
        const saved = await view();
        events.emit('sendDirectChanged', saved);
        return saved;
      }),

    password: () => secrets.get(account),
  };
}
