import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { StoredIntegrations } from '../settings/integration-settings-schema';
import type { SettingsStore } from '../settings/settings-store';

/**
 * Where Email Integration credentials live: their settings and aliases in the settings file (whose schema
 * has no place for a password), each password in the keychain under the credential's own account.
 */
export interface IntegrationCredentialStore {
  read(): StoredIntegrations;
  write(next: StoredIntegrations): void;
  password(id: string): Promise<string | null>;
  setPassword(id: string, password: string): Promise<void>;
  deletePassword(id: string): Promise<void>;
}

export function createIntegrationCredentialStore(deps: {
  readonly settings: Pick<SettingsStore, 'getIntegrations' | 'setIntegrations'>;
  readonly secrets: Pick<SecretStore, 'get' | 'set' | 'delete'>;
}): IntegrationCredentialStore {
  return {
    read: () => deps.settings.getIntegrations(),
    write: (next) => deps.settings.setIntegrations(next),
    password: (id) => deps.secrets.get(secretAccounts.integrationPassword(id)),
    setPassword: (id, password) => deps.secrets.set(secretAccounts.integrationPassword(id), password),
    deletePassword: async (id) => {
      await deps.secrets.delete(secretAccounts.integrationPassword(id));
    },
  };
}
