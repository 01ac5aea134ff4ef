import type { SecretStore } from './secret-store';

/** An in-memory SecretStore for tests of pure logic. Never used by the app itself. */
export function createMemorySecretStore(): SecretStore & { readonly entries: ReadonlyMap<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => {
      entries.set(account, secret);
    },
    delete: async (account) => entries.delete(account),
    accounts: async () => [...entries.keys()],
  };
}
