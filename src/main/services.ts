import type { Logger } from './log/logger';
import type { SecretRegistry } from './log/redact';
import type { EventBus } from './events/event-bus';
import type { ExternalOpener } from './platform/external-link';
import { createChosenAttachments, type ChosenAttachments } from './files/chosen-attachments';
import type { FilePicker } from './files/file-picker';
import { currentPathPlatform } from './files/local-path';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings-store';
import { createAccountService, type AccountService } from './accounts/account-service';
import { createAdminService, type AdminService } from './admin/admin-service';
import { keychainAdminSessionStore, memoryAdminSessionStore } from './admin/admin-sessions';
import { createAdminStore } from './admin/admin-store';
import { createSharedAdminStore } from './admin/shared-admin-store';
import { postgresAppError } from './records/postgres/postgres-errors';
import { parseDatabaseUrl } from './records/postgres/postgres-url';
import { createReauthService, type ReauthService } from './accounts/reauth-service';
import type { SignInWindowOpener } from './oauth/sign-in-window';
import type { ProviderDefaults } from './oauth/providers/provider-config';
import { openRecordsStore, type RecordsStore } from './records/records-store';
import type { ResolvedRecordsLocation } from './records/records-location';
import { createRecordsDatabaseSettings, type RecordsDatabaseSettings } from './records/records-database-settings';
import type { RetrievalRun } from './inbox/retrieval/run-retrieval';
import { createMailboxCredentials } from './mail/mailbox-credentials';
import { createSmtpService, type SmtpService } from './smtp/smtp-service';
import { createSendDirectService, type SendDirectService } from './send-direct/send-direct-service';
import { createSendDirectMailer, type SendDirectMailer } from './send-direct/send-direct-mailer';
import { createAppStatusService, type AppStatusService } from './status/app-status-service';
import { createActivityTypesService, type ActivityTypesService } from './inbox/activity-types-service';
import { createInboxCredentials } from './inbox/inbox-credentials';
import { createImapAccess } from './accounts/imap-access';
import { sendDueAcknowledgements } from './inbox/case-acknowledgement-sender';
import { createInboxService, type InboxService } from './inbox/inbox-service';
import { parseInbound } from './inbox/parse/parse-inbound';
import { runRetrievalInWorker } from './inbox/retrieval/run-in-worker';
import { createIntegrationService, type IntegrationService } from './integration/integration-service';
import { createIntegrationRetrieval, type IntegrationRetrieval } from './integration/integration-retrieval';
import { inboxIds, type InboxId } from '../shared/mailboxes';
import { retrievedByLookup } from './inbox/retrieved-by';
import { installationNameOf } from './platform/installation-name';
import { createSharedSettingsMirror, type SharedSettingsSync } from './settings/shared-settings-sync';
import { sharedKeyOfInbox, type SharedSettingKey } from './settings/shared-setting-values';
import { sharedSettingsConflictWarning } from './settings/shared-settings-conflict';

/** What the composition root is given: every dependency that touches the outside world. */
export interface ServiceDeps {
  readonly version: string;
  readonly dataDir: string;
  /** Where the records are (records-location.ts): the data directory's built-in database, or a shared PostgreSQL one. */
  readonly recordsLocation: ResolvedRecordsLocation;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly secretRegistry: SecretRegistry;
  readonly events: EventBus;
  readonly externalOpener: ExternalOpener;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly providerDefaults: ProviderDefaults;
  /** The app's OAuth popup; null in the CLI, which signs in through the system browser. */
  readonly popupOpener: SignInWindowOpener | null;
  readonly signInTimeoutMs: number;
  /** The app's open-file dialog for "Attach files…"; null in the CLI, which takes paths from its command line. */
  readonly filePicker: FilePicker | null;
  /**
   * Where the administrator session lives: in memory for the app (and `mail-settings ui`), ending with it;
   * in the keychain for the CLI, so `admin sign-in` opens a session the next commands use.
   */
  readonly adminSessions?: 'memory' | 'keychain';
}

export interface AppServices {
  readonly deps: ServiceDeps;
  readonly events: EventBus;
  readonly externalOpener: ExternalOpener;
  readonly logger: Logger;
  readonly sendDirect: SendDirectService;
  /** Sends Send Direct's messages (the test email, the CLI's `send`). */
  readonly sendDirectMailer: SendDirectMailer;
  readonly status: AppStatusService;
  readonly accounts: AccountService;
  /** Administrators: sign-in, 2FA, the session, and `authorize` for admin-only actions. */
  readonly admin: AdminService;
  /** Mailboxes whose mail stopped, or will soon, for want of a new sign-in; "Re-authenticate Now". */
  readonly reauth: ReauthService;
  /** Test Connection and certificate trust for the mailboxes that send. */
  readonly smtp: SmtpService;
  /** Files the user chose to attach, behind opaque handles. */
  readonly attachments: ChosenAttachments;
  /** Lead Inbox and Service Desk Inbox: settings, Test Connection, Check now, records. */
  readonly inbox: InboxService;
  /** The Type manager: the activity types inbox records get. */
  readonly activityTypes: ActivityTypesService;
  /** System Admin › Email Integration: the mailbox credentials the app holds, and the aliases that route their mail. */
  readonly integration: IntegrationService;
  /** Retrieval of the integration mailboxes, each message routed by its alias. */
  readonly integrationRetrieval: IntegrationRetrieval;
  /** The records database, opened on first use. */
  readonly records: () => Promise<RecordsStore>;
  /** The app's "Records database" setting: the built-in database or a shared PostgreSQL one, from the next start on. */
  readonly recordsDatabase: RecordsDatabaseSettings;
  /** Team mode (a shared records database): the settings shared with the other installations; null otherwise. */
  readonly sharedSettings: SharedSettingsSync | null;
  /** Closes what the services opened. */
  close(): Promise<void>;
}

/** Wires the services together. Plain Node: Electron, the CLI and the tests all start here. */
export function createServices(deps: ServiceDeps): AppServices {
  const { secrets, events } = deps;
  let records: Promise<RecordsStore> | undefined;
  const openRecords = (): Promise<RecordsStore> =>
    (records ??= openRecordsStore(deps.recordsLocation.location, deps.now).catch((error: unknown) => {
      records = undefined;
      throw error;
    }));
  // Team mode: what the installations share is mirrored through the database; every service saves through it.
  const sharedSettings =
    typeof deps.recordsLocation.location === 'string'
      ? null
      : createSharedSettingsMirror({
          settings: deps.settings,
          records: openRecords,
          installationName: installationNameOf(deps.dataDir),
          logger: deps.logger,
          onPulled: (keys, conflict) => announcePulled(keys, conflict),
        });
  const settings = sharedSettings?.settings ?? deps.settings;
  // Team mode: the administrators are the team's, in the shared database (the session stays this computer's).
  const databaseUrl = typeof deps.recordsLocation.location === 'string' ? null : deps.recordsLocation.location.databaseUrl;
  const sharedAdministrators =
    databaseUrl === null
      ? null
      : createSharedAdminStore({
          records: openRecords,
          local: createAdminStore(deps.dataDir),
          installationName: installationNameOf(deps.dataDir),
          databaseError: (error) => {
            const parsed = parseDatabaseUrl(databaseUrl);
            return parsed.ok ? postgresAppError(error, parsed.address) : parsed.error;
          },
        });
  const retrievedBy = sharedSettings ? retrievedByLookup(openRecords, deps.dataDir) : undefined;
  // Every run's worker opens the records where this process does.
  const runRetrieval = (run: RetrievalRun) => runRetrievalInWorker({ ...run, records: deps.recordsLocation.location });
  const sendDirect = createSendDirectService({ settings, secrets, events });
  const accounts = createAccountService({
    dataDir: deps.dataDir,
    settings,
    secrets,
    secretRegistry: deps.secretRegistry,
    events,
    logger: deps.logger,
    now: deps.now,
    providerDefaults: deps.providerDefaults,
    popupOpener: deps.popupOpener,
    browserOpener: deps.externalOpener,
    signInTimeoutMs: deps.signInTimeoutMs,
  });
  const credentials = createMailboxCredentials({
    settings,
    storedPasswords: { send: () => sendDirect.password() },
    accounts,
    providerDefaults: deps.providerDefaults,
    secretRegistry: deps.secretRegistry,
  });
  const imapAccess = createImapAccess({ accounts, providerDefaults: deps.providerDefaults });
  const smtp = createSmtpService({ credentials, settings, logger: deps.logger, now: deps.now });
  const inbox = createInboxService({
    dataDir: deps.dataDir,
    settings,
    secrets,
    credentials: createInboxCredentials({ settings, secrets, secretRegistry: deps.secretRegistry, imapAccess }),
    records: openRecords,
    events,
    logger: deps.logger,
    secretRegistry: deps.secretRegistry,
    now: deps.now,
    // Off the main thread: a 2 GB mailbox is emptied while the windows keep answering.
    runRetrieval,
    parse: parseInbound,
    sendAcknowledgements: () => sendDueAcknowledgements({ records: openRecords, settings, smtp, logger: deps.logger, now: deps.now }),
    ...(retrievedBy ? { retrievedBy } : {}),
    ...(sharedSettings
      ? {
          afterSave: async (id: InboxId) => {
            await sharedSettings.settled();
            return sharedSettings.takeConflict(sharedKeyOfInbox[id]) ? sharedSettingsConflictWarning : null;
          },
        }
      : {}),
  });
  const activityTypes = createActivityTypesService({
    records: openRecords,
    settings,
    now: deps.now,
    onInboxChanged: async (changed) => {
      const view = await inbox.get(changed);
      if (view.ok) events.emit('inboxChanged', view.value);
    },
  });
  const admin = createAdminService({
    dataDir: deps.dataDir,
    settings,
    secrets,
    events,
    now: deps.now,
    logger: deps.logger,
    sessions: deps.adminSessions === 'keychain' ? keychainAdminSessionStore(secrets) : memoryAdminSessionStore(),
    ...(sharedAdministrators ? { store: sharedAdministrators } : {}),
  });
  const integration = createIntegrationService({
    settings,
    secrets,
    events,
    logger: deps.logger,
    secretRegistry: deps.secretRegistry,
    records: openRecords,
    now: deps.now,
    accounts,
    imapAccess,
    ...(retrievedBy ? { retrievedBy } : {}),
    ...(sharedSettings
      ? {
          afterSave: async () => {
            await sharedSettings.settled();
            return sharedSettings.takeConflict('integrations') ? sharedSettingsConflictWarning : null;
          },
        }
      : {}),
  });
  const integrationRetrieval = createIntegrationRetrieval({
    dataDir: deps.dataDir,
    imapAccess,
    settings,
    secrets,
    events,
    logger: deps.logger,
    secretRegistry: deps.secretRegistry,
    now: deps.now,
    runRetrieval,
    listRows: () => integration.list(),
    // The notes and cases a run made show at once in the inboxes' Recent records.
    onRecordsAdded: async () => {
      for (const id of inboxIds) {
        const view = await inbox.get(id);
        if (view.ok) events.emit('inboxChanged', view.value);
      }
    },
  });
  /** Shared settings taken from the database: the windows show them, the schedules follow them; a refused save says so. */
  async function announcePulled(keys: readonly SharedSettingKey[], conflict: boolean): Promise<void> {
    for (const id of inboxIds) {
      if (!keys.includes(`mailboxes.${id}`)) continue;
      const view = await inbox.get(id);
      if (view.ok) events.emit('inboxChanged', conflict ? { ...view.value, warnings: [...view.value.warnings, sharedSettingsConflictWarning] } : view.value);
    }
    if (keys.includes('integrations')) {
      const rows = await integration.list();
      if (rows.ok) events.emit('integrationsChanged', rows.value);
    }
  }

  return {
    deps: { ...deps, settings },
    events,
    externalOpener: deps.externalOpener,
    logger: deps.logger,
    sendDirect,
    status: createAppStatusService({ version: deps.version, dataDir: deps.dataDir, settings, secrets }),
    accounts,
    reauth: createReauthService({
      settings,
      accounts,
      events,
      now: deps.now,
      policy: { googleProjectInTesting: deps.providerDefaults.google.projectStatus === 'testing' },
    }),
    smtp,
    sendDirectMailer: createSendDirectMailer({ sendDirect, smtp, records: openRecords, now: deps.now }),
    attachments: createChosenAttachments({ filePicker: deps.filePicker, platform: currentPathPlatform() }),
    inbox,
    activityTypes,
    admin,
    integration,
    integrationRetrieval,
    records: openRecords,
    recordsDatabase: createRecordsDatabaseSettings({ settings, secrets, secretRegistry: deps.secretRegistry, inUse: deps.recordsLocation }),
    sharedSettings,
    close: async () => {
      admin.stop();
      // Saves not yet shared are pushed before the database closes (a CLI command's save too).
      await sharedSettings?.settled();
      if (records) await (await records.catch(() => null))?.close();
      records = undefined;
    },
  };
}
