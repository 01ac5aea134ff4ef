import Conf from 'conf';
import { ErrorCode, type AppError } from '../../shared/errors';
import type { Mailbox } from '../../shared/accounts';
import { sendDirectSettingsSchema, type SendDirectSettings } from '../../shared/send-direct';
import { settingsMigrations } from './settings-migrations';
import { settingsFormatVersion, settingsJsonSchema, type AccountRecord, type StoredSettings, type TrustedCertificate } from './settings-schema';

/**
 * Non-secret settings. In Electron the backing store is electron-store, in plain Node (CLI, tests) it is
 * conf, which electron-store extends: both satisfy `SettingsBackend`, built from `settingsStoreOptions`.
 */
export type SettingsBackend = Pick<Conf<StoredSettings>, 'get' | 'set' | 'delete' | 'path'>;

export interface SettingsStore {
  readonly path: string;
  getSendDirect(): SendDirectSettings | null;
  setSendDirect(settings: SendDirectSettings): void;
  getAccount(mailbox: Mailbox): AccountRecord | null;
  setAccount(mailbox: Mailbox, record: AccountRecord): void;
  deleteAccount(mailbox: Mailbox): void;
  trustedCertificate(hostPort: string): TrustedCertificate | null;
  trustCertificate(hostPort: string, certificate: TrustedCertificate): void;
  /** True while the user has not yet seen (saved over) the 3.0.0 move from None to STARTTLS. */
  encryptionTurnedOnNotice(): boolean;
}

export class SettingsError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'SettingsError';
  }
}

/** The options both conf and electron-store are created with. */
export function settingsStoreOptions(dataDir: string) {
  return {
    cwd: dataDir,
    configName: 'settings',
    schema: settingsJsonSchema,
    projectVersion: settingsFormatVersion,
    migrations: settingsMigrations,
    clearInvalidConfig: false,
  } as const;
}

export function settingsUnreadable(path: string): AppError {
  return {
    code: ErrorCode.SettingsUnreadable,
    message: 'The Mail Settings file is damaged or was edited by hand, so it can’t be read.',
    fix: `Close Mail Settings, rename the file ${path} (to keep a copy), and open Mail Settings again to start from empty settings. Passwords in the keychain are not affected.`,
  };
}

/** Opens the settings file in `dataDir` with conf (plain Node). */
export function openConfSettings(dataDir: string): SettingsStore {
  let backend: SettingsBackend;
  try {
    backend = new Conf<StoredSettings>(settingsStoreOptions(dataDir));
  } catch {
    throw new SettingsError(settingsUnreadable(`${dataDir}/settings.json`));
  }
  return createSettingsStore(backend);
}

export function createSettingsStore(backend: SettingsBackend): SettingsStore {
  return {
    path: backend.path,
    getSendDirect() {
      const stored = backend.get('sendDirect');
      if (stored === undefined) return null;
      // The JSON schema checked types; zod checks meaning (a host that is a host, an address that is one).
      const parsed = sendDirectSettingsSchema.safeParse(stored);
      if (!parsed.success) throw new SettingsError(settingsUnreadable(backend.path));
      return parsed.data;
    },
    setSendDirect(settings) {
      const parsed = sendDirectSettingsSchema.parse(settings);
      // The allowance belongs to None only: kept off otherwise, a later switch to None asks again.
      backend.set('sendDirect', { ...parsed, allowInsecureAuth: parsed.security === 'none' && parsed.allowInsecureAuth });
      // Saving is the user's own decision about security: the migration's notice has served its purpose.
      backend.delete('notices');
    },
    encryptionTurnedOnNotice() {
      return backend.get('notices')?.sendDirectEncryptionTurnedOn === true;
    },
    getAccount(mailbox) {
      return backend.get('accounts')?.[mailbox] ?? null;
    },
    setAccount(mailbox, record) {
      backend.set('accounts', { ...backend.get('accounts'), [mailbox]: record });
    },
    trustedCertificate(hostPort) {
      return backend.get('trustedCertificates')?.[hostPort.toLowerCase()] ?? null;
    },
    trustCertificate(hostPort, certificate) {
      backend.set('trustedCertificates', { ...backend.get('trustedCertificates'), [hostPort.toLowerCase()]: certificate });
    },
    deleteAccount(mailbox) {
      const { [mailbox]: _removed, ...rest } = backend.get('accounts') ?? {};
      backend.set('accounts', rest);
    },
  };
}
