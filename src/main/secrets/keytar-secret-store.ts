import type * as KeytarModule from '@github/keytar';
import { keychainErrorOf, keychainService, SecretStoreError, type SecretStore } from './secret-store';

type Keytar = typeof KeytarModule;

/**
 * The OS keychain through @github/keytar (Secret Service on Linux, Keychain on macOS, Credential Vault on
 * Windows). The native module is loaded on first use, so a machine without libsecret gets a clear
 * "keychain unavailable" error instead of an app that fails to start.
 */
export function createKeytarSecretStore(service: string = keychainService): SecretStore {
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

  return {
    get: (account) => call((k) => k.getPassword(service, account)),
    set: (account, secret) => call((k) => k.setPassword(service, account, secret)),
    delete: (account) => call((k) => k.deletePassword(service, account)),
    accounts: () => call(async (k) => (await k.findCredentials(service)).map((c) => c.account)),
  };
}
