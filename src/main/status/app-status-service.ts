import type { AppStatus } from '../../shared/app-status';
import type { Result } from '../../shared/errors';
import { secretAccounts, SecretStoreError, type SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { guarded } from '../guarded';

export interface AppStatusDeps {
  readonly version: string;
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
}

/** A snapshot for `status` and the window's footer: settings, and whether the keychain answers. */
export function createAppStatusService({ version, dataDir, settings, secrets }: AppStatusDeps) {
  return {
    get: (): Promise<Result<AppStatus>> =>
      guarded(async () => {
        const sendDirect = settings.getMailbox('send');
        let keychain: AppStatus['keychain'] = { available: true };
        let passwordStored = false;
        try {
          passwordStored = (await secrets.get(secretAccounts.sendDirectPassword)) !== null;
        } catch (cause) {
          if (!(cause instanceof SecretStoreError)) throw cause;
          keychain = { available: false, error: cause.appError };
        }
        return {
          version,
          dataDir,
          keychain,
          sendDirect: {
            configured: sendDirect !== null,
            serverName: sendDirect?.serverName ?? null,
            authMethod: sendDirect?.authMethod ?? null,
            passwordStored,
          },
        };
      }),
  };
}

export type AppStatusService = ReturnType<typeof createAppStatusService>;
