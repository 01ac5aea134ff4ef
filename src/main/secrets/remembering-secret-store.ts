import type { SecretRegistry } from '../log/redact';
import type { SecretStore } from './secret-store';

/**
 * Wraps a SecretStore so that every secret passing through it is known to the log redactor: whatever
 * library error later quotes it, the value never reaches a log line.
 */
export function rememberingSecretStore(store: SecretStore, registry: SecretRegistry): SecretStore {
  return {
    get: async (account) => {
      const secret = await store.get(account);
      registry.remember(secret);
      return secret;
    },
    set: async (account, secret) => {
      registry.remember(secret);
      await store.set(account, secret);
    },
    delete: (account) => store.delete(account),
    accounts: () => store.accounts(),
  };
}
