import { mkdir } from 'node:fs/promises';
import { version } from '../../package.json';
import { createEventBus } from './events/event-bus';
import { createDispatch, type Dispatch } from './ipc/dispatch';
import { createHandlerTable, type HandlerTable } from './ipc/handler-table';
import { createFileLogger } from './log/logger';
import { SecretRegistry } from './log/redact';
import type { ExternalOpener } from './platform/external-link';
import { createKeytarSecretStore } from './secrets/keytar-secret-store';
import { rememberingSecretStore } from './secrets/remembering-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { createServices, type AppServices } from './services';
import type { SettingsStore } from './settings/settings-store';

export interface RuntimeOptions {
  readonly dataDir: string;
  readonly openSettings: (dataDir: string) => SettingsStore;
  readonly externalOpener: ExternalOpener;
  /** The OS keychain unless given; tests of pure logic may pass an in-memory store. */
  readonly secrets?: SecretStore;
}

export interface Runtime {
  readonly services: AppServices;
  readonly handlers: HandlerTable;
  readonly dispatch: Dispatch;
}

/**
 * Starts the services on a data directory: the same wiring for the Electron app, the CLI and the e2e
 * bridge. Only the settings backend and the opener differ between them.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const secretRegistry = new SecretRegistry();
  const logger = createFileLogger(options.dataDir, secretRegistry);
  const services = createServices({
    version,
    dataDir: options.dataDir,
    settings: options.openSettings(options.dataDir),
    secrets: rememberingSecretStore(options.secrets ?? createKeytarSecretStore(), secretRegistry),
    secretRegistry,
    events: createEventBus(),
    externalOpener: options.externalOpener,
    logger,
  });
  const handlers = createHandlerTable(services);
  return { services, handlers, dispatch: createDispatch(handlers, logger) };
}
