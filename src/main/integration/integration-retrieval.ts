import type { ImapFlowOptions } from 'imapflow';
import { integrationAccountOf } from '../../shared/accounts';
import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import type { IntegrationCredentialView, IntegrationSettings } from '../../shared/integration';
import type { ImapAccess } from '../accounts/imap-access';
import type { EventBus } from '../events/event-bus';
import type { InboxSignIn } from '../inbox/inbox-credentials';
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
import { mailboxMessageCount } from './mailbox-message-count';
import { imapConnectionOf, inIntegrationWords, integrationTokenSignIn } from './integration-connection-test';
import { credentialNotFound } from './integration-rules';

export interface IntegrationRetrievalDeps {
  readonly dataDir: string;
  /** Credentials on Modern Authentication read with their own token, `integration:<id>` (accounts/imap-access.ts). */
  readonly imapAccess: Pick<ImapAccess, 'imapAccessFor'>;
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
  /** A run made records (notes, cases): the inboxes' views tell their windows to list them again. */
  readonly onRecordsAdded?: () => Promise<void>;
  /** How many messages the mailbox holds, asked without starting a run (mailbox-message-count.ts by default). */
  readonly countMessages?: (connection: ImapFlowOptions, folder: string, signal: AbortSignal | undefined) => Promise<number | null>;
}

export interface CheckOptions {
  readonly signal?: AbortSignal;
  /**
   * A scheduled poll: the server is asked first how many messages the mailbox holds, and an empty mailbox
   * ends the check there, a success, without starting a run (a worker thread costs far more than an
   * idle mailbox is worth). "Check now" and the CLI always run.
   */
  readonly onlyWithMail?: boolean;
}

/**
 * Retrieval of Email Integration mailboxes (issue 15): the same run as the Lead and Service Desk inboxes
 * (fetch → commit → only then expunge, keyed on `integration:<id>`), each message routed by its alias. A
 * run's outcome becomes the credential's status, and a success its last successful fetch.
 */
export interface IntegrationRetrieval {
  /** The added credentials a schedule runs: every one (a signed-out one gets its red cross with the reason). */
  ids(): string[];
  checkNow(id: string, options?: CheckOptions): Promise<Result<RetrievalSummary>>;
  /** The credential's connection, for a watch for new mail (IDLE): the same server, sign-in and trusted certificate as a run. */
  watchConnection(id: string): Promise<Result<{ readonly connection: ImapFlowOptions; readonly mailbox: string }>>;
  /** Whether this installation holds the credential's password or sign-in (shared settings bring neither). */
  signInHere(id: string): Promise<boolean>;
}

/** The aliases that route mail arriving in one credential's mailbox, its own default alias as the fallback. */
export function routingOf(state: StoredIntegrations, id: string): AliasRouting | null {
  const aliases = Object.values(state.aliases).filter((alias) => alias.credentialId === id);
  const fallback = aliases.find((alias) => alias.isDefault);
  if (!fallback) return null;
  return { aliases: aliases.map((alias) => ({ address: alias.address, target: alias.target })), fallback: fallback.target };
}

/** What a check of an empty mailbox did: nothing. */
const nothingToFetch: RetrievalSummary = { retrieved: 0, alreadyStored: 0, expunged: 0, leftForLaterExpunge: 0, skippedDeletedByOthers: 0, notImported: 0, warnings: [] };

/** The folder every integration mailbox is emptied from (the run's default). */
const integrationFolder = 'INBOX';

export function createIntegrationRetrieval(deps: IntegrationRetrievalDeps): IntegrationRetrieval {
  const countMessages = deps.countMessages ?? ((connection, folder, signal) => mailboxMessageCount(connection, folder, signal ? { signal } : {}));
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

  async function tellRecordsAdded(): Promise<void> {
    try {
      await deps.onRecordsAdded?.();
    } catch (error) {
      deps.logger.warn('The inboxes’ windows could not be told of new records', { message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** What a run or a watch of this credential connects with, or why it cannot. */
  async function prepare(id: string): Promise<Result<{ readonly clientOptions: ImapFlowOptions; readonly routing: AliasRouting; readonly settings: IntegrationSettings }>> {
    const state = store.read();
    const credential = state.credentials[id];
    if (!credential) return fail(credentialNotFound(id));
    const { settings } = credential;
    const routing = routingOf(state, id);
    if (routing === null) return fail(credentialNotFound(id));
    const connection = imapConnectionOf(settings);
    const signIn = await signInOf(id, settings);
    if (!signIn.ok) return fail(inIntegrationWords(signIn.error, settings));
    const clientOptions = imapClientOptions(connection, signIn.value, deps.settings.trustedCertificate(trustedCertificateKey(connection)));
    return ok({ clientOptions, routing, settings });
  }

  /** The stored password, or a fresh token of the credential's own sign-in (only for its provider's mail servers). */
  async function signInOf(id: string, settings: IntegrationSettings): Promise<Result<InboxSignIn>> {
    if (settings.authMethod !== 'password') {
      return integrationTokenSignIn(deps.imapAccess, id, settings);
    }
    const password = await store.password(id);
    if (password === null) return fail({ code: ErrorCode.NotConfigured, message: `${settings.configurationName} has no password stored.`, fix: 'Open its Details and use Change Password.' });
    deps.secretRegistry.remember(password);
    return ok({ user: settings.mailbox, pass: password });
  }

  async function run(id: string, { signal, onlyWithMail = false }: CheckOptions): Promise<Result<RetrievalSummary>> {
    const prepared = await prepare(id);
    if (!prepared.ok) return prepared;
    const { clientOptions, routing, settings } = prepared.value;
    // Not known (the server could not be asked) counts as mail: the run meets the trouble and says it.
    if (onlyWithMail && (await countMessages(clientOptions, integrationFolder, signal)) === 0) return ok(nothingToFetch);
    const outcome = await deps.runRetrieval({
      inbox: integrationSourceOf(id),
      dataDir: deps.dataDir,
      connection: clientOptions,
      mailbox: integrationFolder,
      // Unused: every message of an integration mailbox goes where its alias says.
      leadActivityType: routing.fallback.kind === 'lead' ? routing.fallback.activityType : '',
      routing,
      ...(signal ? { signal } : {}),
    });
    return outcome.ok ? outcome : fail(inIntegrationWords(outcome.error, settings));
  }

  return {
    watchConnection: async (id) => {
      const prepared = await guarded(() => prepare(id));
      const result = prepared.ok ? prepared.value : prepared;
      return result.ok ? ok({ connection: result.value.clientOptions, mailbox: integrationFolder }) : result;
    },

    ids: () => Object.keys(store.read().credentials),

    signInHere: async (id) => {
      const credential = store.read().credentials[id];
      if (!credential) return false;
      if (credential.settings.authMethod !== 'password') return deps.settings.getAccount(integrationAccountOf(id)) !== null;
      return (await store.password(id)) !== null;
    },

    async checkNow(id, options = {}) {
      const outcome = await guarded(() => run(id, options));
      const result = outcome.ok ? outcome.value : outcome;
      // Another run is emptying this mailbox (the schedule, the CLI): that run reports its own outcome. A
      // run stopped on request (the app quitting) says nothing about the mailbox.
      const notAnOutcome: readonly ErrorCode[] = [ErrorCode.RetrievalInProgress, ErrorCode.RetrievalCancelled, ErrorCode.IntegrationNotFound];
      if (!result.ok && notAnOutcome.includes(result.error.code)) return result;
      const recorded = await guarded(() => recordOutcome(id, result));
      if (!recorded.ok) deps.logger.warn('An Email Integration run’s status could not be kept', { code: recorded.error.code });
      if (result.ok && result.value.retrieved > 0) await tellRecordsAdded();
      return result;
    },
  };
}
