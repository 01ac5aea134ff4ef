import type { Logger } from './log/logger';
import type { SecretRegistry } from './log/redact';
import type { EventBus } from './events/event-bus';
import type { ExternalOpener } from './platform/external-link';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings-store';
import { createSendDirectService, type SendDirectService } from './send-direct/send-direct-service';
import { createAppStatusService, type AppStatusService } from './status/app-status-service';

/** What the composition root is given: every dependency that touches the outside world. */
export interface ServiceDeps {
  readonly version: string;
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly secretRegistry: SecretRegistry;
  readonly events: EventBus;
  readonly externalOpener: ExternalOpener;
  readonly logger: Logger;
}

export interface AppServices {
  readonly deps: ServiceDeps;
  readonly events: EventBus;
  readonly externalOpener: ExternalOpener;
  readonly logger: Logger;
  readonly sendDirect: SendDirectService;
  readonly status: AppStatusService;
}

/** Wires the services together. Plain Node: Electron, the CLI and the tests all start here. */
export function createServices(deps: ServiceDeps): AppServices {
  const { settings, secrets, events } = deps;
  return {
    deps,
    events,
    externalOpener: deps.externalOpener,
    logger: deps.logger,
    sendDirect: createSendDirectService({ settings, secrets, events }),
    status: createAppStatusService({ version: deps.version, dataDir: deps.dataDir, settings, secrets }),
  };
}
