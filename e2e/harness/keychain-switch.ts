import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import { keychainErrorOf, SecretStoreError, type SecretStore } from '../../src/main/secrets/secret-store';

/**
 * The real keychain (keytar on the test bed's keyring) that a test can make unreachable, for the
 * "keychain unavailable" screens. A process can't lose its D-Bus connection on demand (libsecret keeps the
 * first one), so while switched off this throws what keytar throws without a bus, mapped by the app's own
 * `keychainErrorOf`: the user-facing message and fix are the app's, not the test's.
 */
export interface SwitchableKeychain extends SecretStore {
  reachable: boolean;
}

export function createSwitchableKeychain(): SwitchableKeychain {
  const real = createKeytarSecretStore();
  const store: SwitchableKeychain = {
    reachable: true,
    get: (account) => guard(() => real.get(account)),
    set: (account, secret) => guard(() => real.set(account, secret)),
    delete: (account) => guard(() => real.delete(account)),
    accounts: () => guard(() => real.accounts()),
  };
  async function guard<T>(operation: () => Promise<T>): Promise<T> {
    if (!store.reachable) throw new SecretStoreError(keychainErrorOf(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')));
    return operation();
  }
  return store;
}
