import { mkdir } from 'node:fs/promises';
import { version } from '../../package.json';
import { createEventBus } from './events/event-bus';
import { createDispatch, type Dispatch } from './ipc/dispatch';
import { createHandlerTable, type HandlerTable } from './ipc/handler-table';
import { startAppInboxSchedule } from './inbox/schedule/app-inbox-schedule';
import { createFileLogger } from './log/logger';
import { SecretRegistry } from './log/redact';
import { redactErrorsWithin } from './log/redact-value';
import type { ExternalOpener } from './platform/external-link';
import type { FilePicker } from './files/file-picker';
import type { SignInWindowOpener } from './oauth/sign-in-window';
import { providerDefaultsFromEnv, type ProviderDefaults } from './oauth/providers/provider-config';
import { keychainServiceFor } from './secrets/keychain-service';
import { chunkedSecretStore } from './secrets/chunked-secret-store';
import { createKeytarSecretStore } from './secrets/keytar-secret-store';
import { rememberingSecretStore } from './secrets/remembering-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { createServices, type AppServices } from './services';
import { resolveRecordsLocation } from './records/records-location';
import { passwordInDatabaseUrl } from './records/records-database-url';
import type { SettingsStore } from './settings/settings-store';

export interface RuntimeOptions {
  readonly dataDir: string;
  readonly openSettings: (dataDir: string) => SettingsStore;
  readonly externalOpener: ExternalOpener;
  /** The OS keychain unless given; tests of pure logic may pass an in-memory store. Split into parts when large. */
  readonly secrets?: SecretStore;
  /** The app's OAuth popup window; without one, sign-in uses the system browser. */
  readonly popupOpener?: SignInWindowOpener | null;
  /** The app's open-file dialog ("Attach files…"); without one, nothing can be attached from a window. */
  readonly filePicker?: FilePicker | null;
  /** Provider client ids, tenant, issuers; from the environment unless given. */
  readonly providerDefaults?: ProviderDefaults;
  readonly signInTimeoutMs?: number;
  /** How often signed-in accounts are checked in the background (0: never). */
  readonly accountCheckIntervalMs?: number;
  /** Empty each inbox that is set up on its own schedule, as the app does (off unless asked: the CLI, tests). */
  readonly scheduleInboxes?: boolean;
  /** The secrets the caller has already seen (the CLI's, read from stdin), so its output is redacted too. */
  readonly secretRegistry?: SecretRegistry;
  /** The administrator session: in memory (the app, the default) or in the keychain (the CLI's one-shot commands). */
  readonly adminSessions?: 'memory' | 'keychain';
  /** The CLI's `--database URL`: the records database, before MAIL_SETTINGS_DATABASE_URL and the saved setting. */
  readonly databaseUrl?: string | null;
  /** Where MAIL_SETTINGS_DATABASE_URL is read (process.env unless given: the CLI passes its own). */
  readonly env?: NodeJS.ProcessEnv;
  /** Team mode: how often the settings other installations share are pulled (30 s unless given; 0: only at start and after saves). */
  readonly sharedSettingsEveryMs?: number;
}

export interface Runtime {
  readonly services: AppServices;
  readonly handlers: HandlerTable;
  readonly dispatch: Dispatch;
  /** Stops background work (the account monitor, the inboxes' schedule) and flushes the log. */
  stop(): Promise<void>;
}

/** Five minutes: enough for a password, a second factor and a consent screen. */
const defaultSignInTimeoutMs = 5 * 60_000;
/** A dead grant is noticed within 15 minutes, without rotating refresh tokens needlessly often. */
export const defaultAccountCheckIntervalMs = 15 * 60_000;
/** A colleague's change to a shared inbox reaches the others within half a minute. */
const defaultSharedSettingsEveryMs = 30_000;

/**
 * Starts the services on a data directory: the same wiring for the Electron app, the CLI (and its web UI)
 * and the e2e tests. Only the settings backend and the opener differ between them.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const secretRegistry = options.secretRegistry ?? new SecretRegistry();
  const logger = createFileLogger(options.dataDir, secretRegistry);
  const settings = options.openSettings(options.dataDir);
  // Chunked on every platform alike, so a token cache too large for one Windows Credential Manager entry
  // is stored (and tested) the same way everywhere; remembered whole, for the log redactor.
  const secrets = rememberingSecretStore(chunkedSecretStore(options.secrets ?? createKeytarSecretStore(keychainServiceFor(options.dataDir))), secretRegistry);
  const recordsLocation = await resolveRecordsLocation({
    dataDir: options.dataDir,
    commandLineUrl: options.databaseUrl ?? null,
    env: options.env ?? process.env,
    settings,
    secrets,
  });
  // A password given in the address (on the command line, in the environment) is blanked wherever it could show.
  if (typeof recordsLocation.location !== 'string') secretRegistry.remember(passwordInDatabaseUrl(recordsLocation.location.databaseUrl));
  const services = createServices({
    version,
    dataDir: options.dataDir,
    recordsLocation,
    settings,
    secrets,
    secretRegistry,
    events: createEventBus((payload) => redactErrorsWithin(payload, secretRegistry.values())),
    externalOpener: options.externalOpener,
    logger,
    now: () => new Date(),
    providerDefaults: options.providerDefaults ?? providerDefaultsFromEnv(process.env),
    popupOpener: options.popupOpener ?? null,
    filePicker: options.filePicker ?? null,
    signInTimeoutMs: options.signInTimeoutMs ?? defaultSignInTimeoutMs,
    adminSessions: options.adminSessions ?? 'memory',
  });
  // Team mode: the settings the installations share are taken before anything reads them (a CLI command too).
  await services.sharedSettings?.pull();
  const sharedSettingsEveryMs = options.sharedSettingsEveryMs ?? defaultSharedSettingsEveryMs;
  const stopSharedSettings = services.sharedSettings && sharedSettingsEveryMs > 0 ? services.sharedSettings.every(sharedSettingsEveryMs) : () => undefined;
  const handlers = createHandlerTable(services);
  const interval = options.accountCheckIntervalMs ?? defaultAccountCheckIntervalMs;
  const stopMonitor = interval > 0 ? services.accounts.startMonitor(interval) : () => undefined;
  const inboxSchedule = options.scheduleInboxes === true ? startAppInboxSchedule(services) : null;
  // A mailbox whose mail stops, or soon will, is announced to the windows (its timer never keeps a CLI alive).
  const stopReauthWatch = services.reauth.watch();
  return {
    services,
    handlers,
    dispatch: createDispatch(handlers, logger, secretRegistry),
    stop: async () => {
      stopMonitor();
      stopReauthWatch();
      stopSharedSettings();
      // Runs in flight stop at a clean point before the records database closes under them.
      await inboxSchedule?.stop();
      await services.close();
      await logger.flush();
    },
  };
}
