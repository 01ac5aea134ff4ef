import type * as KeytarModule from '@github/keytar';
import { keychainErrorOf, keychainErrors, keychainService, SecretStoreError, type SecretStore } from './secret-store';
import { searchSecretService } from './secret-service-search';

type Keytar = typeof KeytarModule;

/** How many stored items with these attributes are locked; undefined when that can't be told. */
export type LockedItemCount = (attributes: Readonly<Record<string, string>>) => Promise<number | undefined>;

export interface KeytarSecretStoreOptions {
  /** By default the Secret Service is asked where keytar goes through libsecret (not macOS or Windows). */
  readonly lockedItems?: LockedItemCount;
}

const askSecretService: LockedItemCount = async (attributes) => (await searchSecretService(attributes))?.locked;
const noLockCheck: LockedItemCount = () => Promise.resolve(undefined);

/**
 * The OS keychain through @github/keytar (Secret Service on Linux, Keychain on macOS, Credential Vault on
 * Windows). The native module is loaded on first use, so a machine without libsecret gets a clear
 * "keychain unavailable" error instead of an app that fails to start.
 */
export function createKeytarSecretStore(service: string = keychainService, options: KeytarSecretStoreOptions = {}): SecretStore {
  const lockedItems = options.lockedItems ?? (process.platform === 'darwin' || process.platform === 'win32' ? noLockCheck : askSecretService);
  let loaded: Promise<Keytar> | undefined;
  const keytar = (): Promise<Keytar> => {
    loaded ??= import('@github/keytar').then((module) => ('default' in module ? (module.default as Keytar) : module));
    return loaded;
  };

  async function call<T>(operation: (k: Keytar) => Promise<T>): Promise<T> {
    try {
      return await operation(await keytar());
    } catch (cause) {
      // Whatever the library said, it carries no secret; the user sees the mapped message.
      throw new SecretStoreError(keychainErrorOf(cause));
    }
  }

  /**
   * libsecret answers a lookup or a delete of an item in a locked collection as if there were no such item,
   * once its unlock prompt was dismissed or could not show (measured: keytar's getPassword resolves null,
   * deletePassword false). So "nothing there" is only believed when no matching item is locked.
   */
  async function refuseIfLocked(attributes: Readonly<Record<string, string>>): Promise<void> {
    if (((await lockedItems(attributes)) ?? 0) > 0) throw new SecretStoreError(keychainErrors.locked);
  }

  return {
    get: async (account) => {
      const secret = await call((k) => k.getPassword(service, account));
      if (secret === null) await refuseIfLocked({ service, account });
      return secret;
    },
    set: (account, secret) => call((k) => k.setPassword(service, account, secret)),
    delete: async (account) => {
      const deleted = await call((k) => k.deletePassword(service, account));
      if (!deleted) await refuseIfLocked({ service, account });
      return deleted;
    },
    accounts: async () => {
      // Asked first, not after: keytar's findCredentials copies the secret of every match with strdup(), and
      // an item left locked has none, so the process dies (SIGSEGV, measured with keytar 7.10 on a locked
      // gnome-keyring collection).
      await refuseIfLocked({ service });
      return call(async (k) => (await k.findCredentials(service)).map((c) => c.account));
    },
  };
}
