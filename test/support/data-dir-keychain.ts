import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';

/**
 * Removes every keychain item the app kept for `dataDir` (each data dir has its own keychain service), so
 * a test that starts from a fresh data dir leaves nothing behind in the shared test keyring.
 */
export async function clearKeychainOf(dataDir: string): Promise<void> {
  const keychain = createKeytarSecretStore(keychainServiceFor(dataDir));
  for (const name of await keychain.accounts()) await keychain.delete(name);
}
