import { ErrorCode, fail, type AppError, type Result } from '../../shared/errors';
import type { IntegrationCredentialView } from '../../shared/integration';
import type { EventBus } from '../events/event-bus';
import { guarded } from '../guarded';
import { imapClientOptions } from '../inbox/imap-client-options';
import { integrationSourceOf } from '../inbox/retrieval/retrieval-source';
import type { RetrievalSummary } from '../inbox/retrieval/retrieval-types';
import type { RetrievalRun } from '../inbox/retrieval/run-retrieval';
import type { Logger } from '../log/logger';
import type { SecretRegistry } from '../log/redact';
import { redactAppError } from '../log/redact-value';
import { trustedCertificateKey } from '../mail/tls-options';
import type { SecretStore } from '../secrets/secret-store';
import type { StoredIntegrations } from '../settings/integration-settings-schema';
import type { SettingsStore } from '../settings/settings-store';
import type { AliasRouting } from './alias-routing';
import { createIntegrationCredentialStore } from './integration-credential-store';
import { imapConnectionOf, inIntegrationWords } from './integration-connection-test';
import { credentialNotFound } from './integration-rules';

export interface IntegrationRetrievalDeps {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly secretRegistry: SecretRegistry;
  readonly now: () => Date;
  /** Empties a mailbox into records (the worker thread in the app and the CLI). */
  readonly runRetrieval: (run: RetrievalRun) => Promise<Result<RetrievalSummary>>;
  /** The dashboard's rows, told to every window after a run changed a status. */
  readonly listRows: () => Promise<Result<IntegrationCredentialView[]>>;
}

/**
 * Retrieval of Email Integration mailboxes (issue 15): the same run as the Lead and Service Desk inboxes
 * (fetch → commit → only then expunge, keyed on `integration:<id>`), each message routed by its alias. A
 * run's outcome becomes the credential's status, and a success its last successful fetch.
 */
export interface IntegrationRetrieval {
  /** The added credentials a schedule runs: those that sign in with a password. */
  ids(): string[];
  checkNow(id: string, options?: { readonly signal?: AbortSignal }): Promise<Result<RetrievalSummary>>;
}

const modernAuthenticationNotYet: AppError = {
  code: ErrorCode.NotConfigured,
  message: 'Mail Settings cannot yet fetch mail from an Email Integration mailbox that uses Modern Authentication.',
  fix: 'Choose Normal Password as its authentication method, with the mailbox’s password.',
};

/** The aliases that route mail arriving in one credential's mailbox, its own default alias as the fallback. */
export function routingOf(state: StoredIntegrations, id: string): AliasRouting | null {
  const aliases = Object.values(state.aliases).filter((alias) => alias.credentialId === id);
  const fallback = aliases.find((alias) => alias.isDefault);
  if (!fallback) return null;
  return { aliases: aliases.map((alias) => ({ address: alias.address, target: alias.target })), fallback: fallback.target };
}

export function createIntegrationRetrieval(deps: IntegrationRetrievalDeps): IntegrationRetrieval {
  const store = createIntegrationCredentialStore({ settings: deps.settings, secrets: deps.secrets });

  async function recordOutcome(id: string, outcome: Result<RetrievalSummary>): Promise<void> {
    const state = store.read();
    const saved = state.credentials[id];
    if (!saved) return;
    const at = deps.now().toISOString();
    const error = outcome.ok ? null : redactAppError(outcome.error, deps.secretRegistry.values());
    store.write({ ...state, credentials: { ...state.credentials, [id]: { ...saved, status: { ok: outcome.ok, at, error }, lastSuccessAt: outcome.ok ? at : saved.lastSuccessAt } } });
    const rows = await deps.listRows();
    if (rows.ok) deps.events.emit('integrationsChanged', rows.value);
  }

  async function run(id: string, signal: AbortSignal | undefined): Promise<Result<RetrievalSummary>> {
    const state = store.read();
    const credential = state.credentials[id];
    if (!credential) return fail(credentialNotFound(id));
    const { settings } = credential;
    if (settings.authMethod !== 'password') return fail(modernAuthenticationNotYet);
    const routing = routingOf(state, id);
    const password = await store.password(id);
    if (routing === null || password === null) {
      return fail({ code: ErrorCode.NotConfigured, message: `${settings.configurationName} has no password stored.`, fix: 'Open its Details and use Change Password.' });
    }
    deps.secretRegistry.remember(password);
    const connection = imapConnectionOf(settings);
    const outcome = await deps.runRetrieval({
      inbox: integrationSourceOf(id),
      dataDir: deps.dataDir,
      connection: imapClientOptions(connection, { user: settings.mailbox, pass: password }, deps.settings.trustedCertificate(trustedCertificateKey(connection))),
      // Unused: every message of an integration mailbox goes where its alias says.
      leadActivityType: routing.fallback.kind === 'lead' ? routing.fallback.activityType : '',
      routing,
      ...(signal ? { signal } : {}),
    });
    return outcome.ok ? outcome : fail(inIntegrationWords(outcome.error, settings));
  }

  return {
    ids: () => Object.entries(store.read().credentials).flatMap(([id, credential]) => (credential.settings.authMethod === 'password' ? [id] : [])),

    async checkNow(id, options = {}) {
      const outcome = await guarded(() => run(id, options.signal));
      const result = outcome.ok ? outcome.value : outcome;
      // Another run is emptying this mailbox (the schedule, the CLI): that run reports its own outcome. A
      // run stopped on request (the app quitting) says nothing about the mailbox.
      const notAnOutcome: readonly ErrorCode[] = [ErrorCode.RetrievalInProgress, ErrorCode.RetrievalCancelled, ErrorCode.IntegrationNotFound];
      if (!result.ok && notAnOutcome.includes(result.error.code)) return result;
      const recorded = await guarded(() => recordOutcome(id, result));
      if (!recorded.ok) deps.logger.warn('An Email Integration run’s status could not be kept', { code: recorded.error.code });
      return result;
    },
  };
}
