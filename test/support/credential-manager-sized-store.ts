import { credentialManagerMaxBlobBytes } from '../../src/main/secrets/chunked-secret-store';
import { keychainErrorOf, SecretStoreError, type SecretStore } from '../../src/main/secrets/secret-store';

/**
 * A keychain that refuses what Windows Credential Manager refuses: a value over 2,560 UTF-8 bytes
 * (CRED_MAX_CREDENTIAL_BLOB_SIZE; keytar writes the UTF-8 bytes). Over the real keyring of the test bed, so
 * everything else behaves as a real keychain. A refusal is what the app gets from keytar there: CredWrite
 * fails with "The stub received bad data" (atom/node-keytar#112), mapped like every keytar error.
 */
export function credentialManagerSizedStore(store: SecretStore): SecretStore & { readonly refused: readonly string[] } {
  const refused: string[] = [];
  return {
    refused,
    get: (account) => store.get(account),
    set: async (account, secret) => {
      if (Buffer.byteLength(secret, 'utf8') > credentialManagerMaxBlobBytes) {
        refused.push(account);
        throw new SecretStoreError(keychainErrorOf(new Error('The stub received bad data.')));
      }
      await store.set(account, secret);
    },
    delete: (account) => store.delete(account),
    accounts: () => store.accounts(),
  };
}
