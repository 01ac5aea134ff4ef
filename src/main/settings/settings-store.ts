import Conf from 'conf';
import { ErrorCode, type AppError } from '../../shared/errors';
import { isAccountId, type AccountId } from '../../shared/accounts';
import { storedMailboxes, type MailboxSettingsOf, type StoredMailboxId } from './mailbox-settings-schema';
import { settingsMigrations } from './settings-migrations';
import { emptyIntegrations, storedIntegrationsSchema, type StoredIntegrations } from './integration-settings-schema';
import { settingsFormatVersion, settingsJsonSchema, settingsRootJsonSchema, type AccountRecord, type StoredRecordsDatabase, type StoredSettings, type TrustedCertificate } from './settings-schema';

/**
 * Non-secret settings. In Electron the backing store is electron-store, in plain Node (CLI, tests) it is
 * conf, which electron-store extends: both satisfy `SettingsBackend`, built from `settingsStoreOptions`.
 */
export type SettingsBackend = Pick<Conf<StoredSettings>, 'get' | 'set' | 'delete' | 'path'>;

export interface SettingsStore {
  readonly path: string;
  /** A mailbox's settings, or null when it was never saved. */
  getMailbox<Id extends StoredMailboxId>(mailbox: Id): MailboxSettingsOf<Id> | null;
  /** Saves a mailbox's settings; saving is the user's answer to the mailbox's notices, so they end. */
  setMailbox<Id extends StoredMailboxId>(mailbox: Id, settings: MailboxSettingsOf<Id>): void;
  getAccount(mailbox: AccountId): AccountRecord | null;
  /** Every sign-in the file holds: the app's mailboxes and added mailboxes on Modern Authentication. */
  accountIds(): AccountId[];
  setAccount(mailbox: AccountId, record: AccountRecord): void;
  deleteAccount(mailbox: AccountId): void;
  trustedCertificate(hostPort: string): TrustedCertificate | null;
  trustCertificate(hostPort: string, certificate: TrustedCertificate): void;
  /** True while the user has not yet seen (saved over) the 3.0.0 move of this mailbox from None to STARTTLS. */
  encryptionTurnedOnNotice(mailbox: StoredMailboxId): boolean;
  /** True once an administrator was created here (kept in the settings too, see settings-schema.ts). */
  administratorsExist(): boolean;
  recordAdministratorsExist(): void;
  /** Email Integration's credentials and aliases (no passwords); empty when none were added. */
  getIntegrations(): StoredIntegrations;
  setIntegrations(integrations: StoredIntegrations): void;
  /** The shared PostgreSQL records database chosen in the app (its address without the password), or null: the built-in one. */
  getRecordsDatabase(): StoredRecordsDatabase | null;
  setRecordsDatabase(database: StoredRecordsDatabase | null): void;
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
    rootSchema: settingsRootJsonSchema,
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
    getMailbox<Id extends StoredMailboxId>(mailbox: Id) {
      const stored = backend.get('mailboxes')?.[mailbox];
      if (stored === undefined) return null;
      // The JSON schema checked types; zod checks meaning (a host that is a host, an address that is one).
      const parsed = storedMailboxes[mailbox].schema.safeParse(stored);
      if (!parsed.success) throw new SettingsError(settingsUnreadable(backend.path));
      return parsed.data as MailboxSettingsOf<Id>;
    },
    setMailbox(mailbox, settings) {
      const parsed = storedMailboxes[mailbox].schema.parse(settings);
      // The allowance belongs to None only: kept off otherwise, a later switch to None asks again.
      const stored = { ...parsed, allowInsecureAuth: parsed.security === 'none' && parsed.allowInsecureAuth };
      backend.set('mailboxes', { ...backend.get('mailboxes'), [mailbox]: stored });
      // Saving is the user's own decision about security: the migration's notice has served its purpose.
      const remaining = (backend.get('notices')?.encryptionTurnedOn ?? []).filter((noticed) => noticed !== mailbox);
      if (remaining.length > 0) backend.set('notices', { encryptionTurnedOn: remaining });
      else backend.delete('notices');
    },
    encryptionTurnedOnNotice(mailbox) {
      return backend.get('notices')?.encryptionTurnedOn?.includes(mailbox) === true;
    },
    getAccount(mailbox) {
      return backend.get('accounts')?.[mailbox] ?? null;
    },
    accountIds() {
      return Object.keys(backend.get('accounts') ?? {}).filter(isAccountId);
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
    administratorsExist() {
      return backend.get('administratorsExist') === true;
    },
    recordAdministratorsExist() {
      backend.set('administratorsExist', true);
    },
    getIntegrations() {
      const stored = backend.get('integrations');
      if (stored === undefined) return emptyIntegrations;
      const parsed = storedIntegrationsSchema.safeParse(stored);
      if (!parsed.success) throw new SettingsError(settingsUnreadable(backend.path));
      return parsed.data;
    },
    setIntegrations(integrations) {
      backend.set('integrations', storedIntegrationsSchema.parse(integrations));
    },
    getRecordsDatabase() {
      return backend.get('recordsDatabase') ?? null;
    },
    setRecordsDatabase(database) {
      if (database === null) backend.delete('recordsDatabase');
      // The JSON schema refuses an address with a password in it: the settings file holds no secret.
      else backend.set('recordsDatabase', { url: database.url });
    },
    deleteAccount(mailbox) {
      const { [mailbox]: _removed, ...rest } = backend.get('accounts') ?? {};
      backend.set('accounts', rest);
    },
  };
}
