import { integrationAccountOf, type AccountState, type ProviderOptions, type SignInVia } from '../../shared/accounts';
import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import { defaultRecordTypes, type InboxSettings } from '../../shared/inbox';
import type { AliasTarget, AliasView, IntegrationCredentialView, IntegrationSettings } from '../../shared/integration';
import { sameSecretDestination, type PasswordChange } from '../../shared/mail-server';
import { inboxIds, mailboxNames, type InboxId } from '../../shared/mailboxes';
import type { AccountService } from '../accounts/account-service';
import type { ImapAccess } from '../accounts/imap-access';
import type { EventBus } from '../events/event-bus';
import { guarded } from '../guarded';
import type { Logger } from '../log/logger';
import type { SecretRegistry } from '../log/redact';
import type { InboxSignIn } from '../inbox/inbox-credentials';
import { inboxMailboxKey, integrationMailboxKey, type RetrievedByLookup } from '../inbox/retrieved-by';
import { redactAppError } from '../log/redact-value';
import { passwordNeededForNewServer } from '../mail/credential-guard';
import type { RecordsStore } from '../records/records-store';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { StoredIntegrations } from '../settings/integration-settings-schema';
import type { SettingsStore } from '../settings/settings-store';
import { createIntegrationCredentialStore } from './integration-credential-store';
import { imapConnectionOf, inIntegrationWords, integrationTokenSignIn, testIntegrationConnection, type IntegrationTestDeps } from './integration-connection-test';
import { newIntegrationId } from './integration-ids';
import { aliasNotFound, aliasRefusal, credentialNotFound, defaultAliasIdOf, deleteRefusal, mailboxRefusal } from './integration-rules';
import { aliasViews, builtInInboxMailboxes, builtInRows, credentialRow } from './integration-views';

/** The parsed `addAlias` request (shared/integration.ts aliasInputSchema). */
export interface NewAlias {
  readonly address: string;
  readonly credentialId: string;
  readonly target: AliasTarget;
}

/**
 * System Admin › Email Integration (issue 15, seed 002): the dashboard of every mailbox credential, added
 * integration mailboxes with their passwords in the keychain, Change Password, Test Connection, and the
 * aliases that route their mail. Every change emits `integrationsChanged` with the dashboard's rows.
 * Admin-only calls are gated by the caller (handler table, CLI), not here.
 */
export interface IntegrationService {
  /** Send Direct, the Lead Inbox and the Service Desk Inbox (those set up), then every added credential. */
  list(): Promise<Result<IntegrationCredentialView[]>>;
  /** One row: a built-in mailbox (`send`, `lead`, `serviceDesk`) or an added credential. */
  get(id: string): Promise<Result<IntegrationCredentialView>>;
  /** Adds a credential with its password (required for password sign-in) and its default alias. */
  add(settings: IntegrationSettings, password: string): Promise<Result<IntegrationCredentialView>>;
  /** Details › Save. A new host, port, mailbox or method drops the stored password (it went to the old one only). */
  update(id: string, settings: IntegrationSettings): Promise<Result<IntegrationCredentialView>>;
  /** Deletes a credential, its default alias and its password; refused (INTEGRATION_IN_USE) while other aliases use it. Answers the rows left. */
  delete(id: string): Promise<Result<IntegrationCredentialView[]>>;
  /** Change Password: New Password and Confirm Password must match; the status is cleared until the next Test Connection. */
  changePassword(id: string, newPassword: string, confirmPassword: string): Promise<Result<IntegrationCredentialView>>;
  /**
   * Test Connection with the form's values: a typed password, or (`keep`, with `id`) the stored one when the
   * destination is the one it was saved for. A test of a saved credential as saved becomes its status.
   */
  test(id: string | undefined, settings: IntegrationSettings, password: PasswordChange): Promise<Result<{ message: string }>>;
  /** Every alias, or one credential's, by address. */
  listAliases(credentialId?: string): Promise<Result<AliasView[]>>;
  /** Adds an alias; answers every alias. */
  addAlias(alias: NewAlias): Promise<Result<AliasView[]>>;
  /** Deletes an alias (not a default one: it goes with its credential); answers every alias. */
  deleteAlias(id: string): Promise<Result<AliasView[]>>;
  /** "Sign in using Modern Authentication…" for a saved credential that uses it: its own sign-in, `integration:<id>` (IMAP scopes). */
  signIn(id: string, options: ProviderOptions, via: SignInVia): Promise<Result<AccountState>>;
  /** Its sign-in forgotten (and revoked at the provider), its tokens gone from the keychain. */
  signOut(id: string): Promise<Result<AccountState>>;
}

export interface IntegrationServiceDeps {
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly events: EventBus;
  readonly logger: Logger;
  /** Every password this process handles joins it, so no log line or error prints it. */
  readonly secretRegistry: SecretRegistry;
  readonly records: () => Promise<RecordsStore>;
  readonly now: () => Date;
  /** Test Connection's waits (tests shorten them). */
  readonly testTimeouts?: IntegrationTestDeps['timeouts'];
  /** Credentials on Modern Authentication sign in on their own, as `integration:<id>`. */
  readonly accounts: Pick<AccountService, 'signIn' | 'reset'>;
  /** A token only to the provider's mail servers, never in clear text (accounts/imap-access.ts). */
  readonly imapAccess: Pick<ImapAccess, 'imapAccessFor'>;
  /** Which installation empties a mailbox, on a records database several share (inbox/retrieved-by.ts). */
  readonly retrievedBy?: RetrievedByLookup;
  /**
   * Team mode: waits until a save of the credentials or aliases is shared with the other installations;
   * the refusal to answer with when another installation had changed them meanwhile (theirs are then kept).
   */
  readonly afterSave?: () => Promise<AppError | null>;
}

const builtInIds: readonly string[] = ['send', ...inboxIds];

function enterPassword(field: 'password' | 'newPassword'): AppError {
  const message = 'Enter the mailbox’s password.';
  return { code: ErrorCode.InvalidInput, message, fieldErrors: { [field]: message } };
}

function builtInRefusal(id: string): AppError {
  const name = mailboxNames[id as 'send' | InboxId];
  return { code: ErrorCode.InvalidInput, message: `The ${name} is set up in its own dialog.`, fix: `Open the ${name}’s Details to change it.` };
}

/** A sign-in is kept per saved credential: a form not saved yet, or saved with a password, has none to test with. */
const saveBeforeSignIn: AppError = {
  code: ErrorCode.NotSignedIn,
  message: 'Save this mailbox with Modern Authentication first: its sign-in belongs to the saved mailbox.',
  fix: 'Click Save, then “Sign in using Modern Authentication…” in its Details, then Test Connection.',
};

const notModernAuthentication: AppError = {
  code: ErrorCode.InvalidInput,
  message: 'This mailbox signs in with a password, not with Modern Authentication.',
  fix: 'Choose Modern Authentication in its Details and save first.',
};

export function createIntegrationService(deps: IntegrationServiceDeps): IntegrationService {
  const { settings, secrets, events } = deps;
  const store = createIntegrationCredentialStore({ settings, secrets });

  const savedInboxes = (): Record<InboxId, InboxSettings | null> => ({ lead: settings.getMailbox('lead'), serviceDesk: settings.getMailbox('serviceDesk') });

  async function hasPassword(account: string): Promise<boolean> {
    return (await secrets.get(account)) !== null;
  }

  async function builtIns(): Promise<IntegrationCredentialView[]> {
    const send = settings.getMailbox('send');
    const records = await deps.records();
    return builtInRows(
      {
        send,
        inboxes: savedInboxes(),
        passwordStored: {
          send: send ? await hasPassword(secretAccounts.mailboxPassword('send')) : false,
          lead: await hasPassword(secretAccounts.mailboxPassword('lead')),
          serviceDesk: await hasPassword(secretAccounts.mailboxPassword('serviceDesk')),
        },
        accounts: { send: settings.getAccount('send'), lead: settings.getAccount('lead'), serviceDesk: settings.getAccount('serviceDesk') },
        lastRuns: { lead: await records.inboxRuns.last('lead'), serviceDesk: await records.inboxRuns.last('serviceDesk') },
      },
      deps.now(),
    );
  }

  async function rowOf(state: StoredIntegrations, id: string): Promise<IntegrationCredentialView | null> {
    const credential = state.credentials[id];
    return credential ? withRetrievedBy(credentialRow(id, credential, state, (await store.password(id)) !== null, deps.now())) : null;
  }

  const withBuiltInRetrievedBy = async (row: IntegrationCredentialView | undefined): Promise<IntegrationCredentialView | null> => (row ? withRetrievedBy(row) : null);

  /** The row with which installation empties its mailbox, when the records are shared (Send Direct sends only). */
  async function withRetrievedBy(row: IntegrationCredentialView): Promise<IntegrationCredentialView> {
    if (!deps.retrievedBy) return row;
    const inbox = row.kind === 'leadInbox' ? settings.getMailbox('lead') : row.kind === 'serviceDeskInbox' ? settings.getMailbox('serviceDesk') : null;
    const signedInAs = settings.getAccount(row.kind === 'integration' ? `integration:${row.id}` : row.kind === 'leadInbox' ? 'lead' : 'serviceDesk')?.username ?? null;
    const key =
      row.kind === 'integration'
        ? integrationMailboxKey({ serverName: row.host, authMethod: row.authMethod, userName: row.mailbox }, signedInAs)
        : inbox
          ? inboxMailboxKey(inbox, signedInAs)
          : null;
    return key === null ? row : { ...row, retrievedBy: await deps.retrievedBy(key) };
  }

  async function rows(): Promise<IntegrationCredentialView[]> {
    const state = store.read();
    const added = await Promise.all(Object.keys(state.credentials).map((id) => rowOf(state, id)));
    const sorted = added.filter((row): row is IntegrationCredentialView => row !== null).sort((a, b) => a.configurationName.localeCompare(b.configurationName) || a.id.localeCompare(b.id));
    return [...(await Promise.all((await builtIns()).map(withRetrievedBy))), ...sorted];
  }

  /** Tells every window; a failure to list is the listing's own, not the change's. */
  async function announce(): Promise<void> {
    const current = await guarded(rows);
    if (current.ok) events.emit('integrationsChanged', current.value);
    else deps.logger.warn('Email Integration rows could not be listed', { code: current.error.code });
  }

  async function changed<T>(result: Result<T>): Promise<Result<T>> {
    if (result.ok) await announce();
    return result;
  }

  /**
   * A change of the credentials or aliases, once shared: refused when another installation had changed
   * them meanwhile. The list is theirs then, and the windows were told by the sync; the change is not kept,
   * so it is answered as a failure that says why and what to do.
   */
  async function savedAndShared<T>(result: Result<T>): Promise<Result<T>> {
    if (!result.ok) return result;
    const refused = (await deps.afterSave?.()) ?? null;
    return refused ? fail(refused) : changed(result);
  }

  function takenIds(state: StoredIntegrations): Set<string> {
    return new Set([...builtInIds, ...Object.keys(state.credentials), ...Object.keys(state.aliases)]);
  }

  /** A default alias goes to the Lead Inbox with its records' activity type, until an administrator adds others. */
  function defaultTarget(): AliasTarget {
    return { kind: 'lead', activityType: settings.getMailbox('lead')?.recordType ?? defaultRecordTypes.lead, owner: '' };
  }

  async function activityTypeRefusal(target: AliasTarget): Promise<AppError | null> {
    if (target.kind !== 'lead') return null;
    const type = await (await deps.records()).types.byName(target.activityType);
    if (type && !type.retired) return null;
    const message = type ? `The activity type “${type.name}” is retired.` : `There is no activity type “${target.activityType}”.`;
    return { code: ErrorCode.InvalidInput, message, fix: 'Choose an activity type from the list (the Type manager adds them).', fieldErrors: { activityType: message } };
  }

  /** The password a test may use: one typed now, or the stored one for the destination it was saved for. */
  async function passwordForTest(id: string | undefined, next: IntegrationSettings, password: PasswordChange): Promise<Result<string>> {
    if (password.kind === 'set') return ok(password.value);
    if (password.kind === 'clear' || id === undefined) return fail(enterPassword('password'));
    const saved = store.read().credentials[id];
    if (!saved) return fail(credentialNotFound(id));
    if (!sameSecretDestination(imapConnectionOf(saved.settings), imapConnectionOf(next))) return fail(passwordNeededForNewServer);
    const stored = await store.password(id);
    return stored ? ok(stored) : fail(enterPassword('password'));
  }

  /**
   * What Test Connection signs in with: the password as above, or the saved credential's own token, handed
   * out only for its provider's mail servers.
   */
  async function signInForTest(id: string | undefined, next: IntegrationSettings, password: PasswordChange): Promise<Result<InboxSignIn>> {
    if (next.authMethod === 'password') {
      const chosen = await passwordForTest(id, next, password);
      if (!chosen.ok) return chosen;
      deps.secretRegistry.remember(chosen.value);
      return ok({ user: next.mailbox, pass: chosen.value });
    }
    const saved = id === undefined ? undefined : store.read().credentials[id];
    if (id === undefined || saved?.settings.authMethod !== next.authMethod) return fail(saveBeforeSignIn);
    return integrationTokenSignIn(deps.imapAccess, id, next);
  }

  /** The test's outcome is the credential's status when it tested the credential exactly as saved. */
  async function recordStatus(id: string, tested: IntegrationSettings, outcome: Result<{ message: string }>): Promise<void> {
    const state = store.read();
    const saved = state.credentials[id];
    if (!saved || JSON.stringify(saved.settings) !== JSON.stringify(tested)) return;
    const at = deps.now().toISOString();
    const error = outcome.ok ? null : redactAppError(outcome.error, deps.secretRegistry.values());
    store.write({
      ...state,
      credentials: { ...state.credentials, [id]: { ...saved, status: { ok: outcome.ok, at, error }, lastSuccessAt: outcome.ok ? at : saved.lastSuccessAt } },
    });
    await announce();
  }

  return {
    list: () => guarded(rows),

    async get(id) {
      const found = await guarded(async () => (builtInIds.includes(id) ? await withBuiltInRetrievedBy((await builtIns()).find((row) => row.id === id)) : await rowOf(store.read(), id)));
      if (!found.ok) return found;
      return found.value ? ok(found.value) : fail(credentialNotFound(id));
    },

    async add(next, password) {
      if (next.authMethod === 'password' && password.length === 0) return fail(enterPassword('password'));
      const prepared = await guarded(async () => {
        const state = store.read();
        const refusal = mailboxRefusal(state, next.mailbox, null, builtInInboxMailboxes(savedInboxes()));
        if (refusal) return fail<{ id: string; aliasId: string; state: StoredIntegrations }>(refusal);
        const taken = takenIds(state);
        const id = newIntegrationId(taken);
        const aliasId = newIntegrationId(taken.add(id));
        return ok({ id, aliasId, state });
      });
      if (!prepared.ok) return prepared;
      if (!prepared.value.ok) return prepared.value;
      const { id, aliasId, state } = prepared.value.value;
      deps.secretRegistry.remember(password);
      const added = await guarded(async () => {
        // The keychain goes first: if it refuses, nothing is added, and the password lands in no file.
        if (next.authMethod === 'password') await store.setPassword(id, password);
        try {
          store.write({
            credentials: { ...state.credentials, [id]: { settings: next, createdAt: deps.now().toISOString(), status: null, lastSuccessAt: null } },
            aliases: { ...state.aliases, [aliasId]: { address: next.mailbox, credentialId: id, target: defaultTarget(), isDefault: true } },
          });
        } catch (error) {
          await store.deletePassword(id).catch(() => undefined);
          throw error;
        }
        return (await rowOf(store.read(), id)) as IntegrationCredentialView;
      });
      const shared = await savedAndShared(added);
      // Refused for another installation's change: the mailbox is in no list, and its password goes too.
      if (!shared.ok && added.ok && !store.read().credentials[id]) await store.deletePassword(id).catch(() => undefined);
      return shared;
    },

    async update(id, next) {
      if (builtInIds.includes(id)) return fail(builtInRefusal(id));
      const updated = await guarded(async (): Promise<Result<IntegrationCredentialView>> => {
        const state = store.read();
        const saved = state.credentials[id];
        if (!saved) return fail(credentialNotFound(id));
        const refusal = mailboxRefusal(state, next.mailbox, id, builtInInboxMailboxes(savedInboxes()));
        if (refusal) return fail(refusal);
        // The stored password was given for one server and mailbox: a new destination never receives it.
        // Back to a password: the Modern Authentication sign-in is no longer this mailbox's, and goes first.
        if (saved.settings.authMethod !== 'password' && next.authMethod === 'password') {
          const reset = await deps.accounts.reset(integrationAccountOf(id));
          if (!reset.ok) return reset;
        }
        const sameDestination = sameSecretDestination(imapConnectionOf(saved.settings), imapConnectionOf(next));
        if (!sameDestination) await store.deletePassword(id);
        const unchanged = sameDestination && saved.settings.secure === next.secure;
        const defaultAlias = defaultAliasIdOf(state, id);
        const aliases = { ...state.aliases };
        const ownAlias = defaultAlias === null ? undefined : aliases[defaultAlias];
        if (defaultAlias !== null && ownAlias) aliases[defaultAlias] = { ...ownAlias, address: next.mailbox };
        const credentials = { ...state.credentials, [id]: { ...saved, settings: next, ...(unchanged ? {} : { status: null, lastSuccessAt: null }) } };
        store.write({ credentials, aliases });
        return ok((await rowOf(store.read(), id)) as IntegrationCredentialView);
      });
      return savedAndShared(updated.ok ? updated.value : updated);
    },

    async delete(id) {
      if (builtInIds.includes(id)) return fail(builtInRefusal(id));
      const deleted = await guarded(async (): Promise<Result<IntegrationCredentialView[]>> => {
        const state = store.read();
        if (!state.credentials[id]) return fail(credentialNotFound(id));
        const refusal = deleteRefusal(state, id);
        if (refusal) return fail(refusal);
        // Its sign-in goes first (tokens out of the keychain): a keychain failure leaves the mailbox listed, to delete again.
        const reset = await deps.accounts.reset(integrationAccountOf(id));
        if (!reset.ok) return reset;
        const { [id]: _gone, ...credentials } = state.credentials;
        const aliases = Object.fromEntries(Object.entries(state.aliases).filter(([, alias]) => alias.credentialId !== id));
        store.write({ credentials, aliases });
        return ok(await rows());
      });
      const shared = await savedAndShared(deleted.ok ? deleted.value : deleted);
      // The password goes once the mailbox is gone for good: a delete refused for another installation's
      // change brings the mailbox back, and it keeps its password here.
      if (!deleted.ok || !deleted.value.ok || store.read().credentials[id]) return shared;
      const removed = await guarded(() => store.deletePassword(id));
      return removed.ok ? shared : removed;
    },

    async changePassword(id, newPassword, confirmPassword) {
      if (builtInIds.includes(id)) return fail(builtInRefusal(id));
      if (newPassword.length === 0) return fail(enterPassword('newPassword'));
      deps.secretRegistry.remember(newPassword);
      deps.secretRegistry.remember(confirmPassword);
      if (newPassword !== confirmPassword) {
        const message = 'The passwords do not match.';
        return fail({ code: ErrorCode.InvalidInput, message, fix: 'Type the new password again in both fields.', fieldErrors: { confirmPassword: message } });
      }
      const result = await guarded(async (): Promise<Result<IntegrationCredentialView>> => {
        const state = store.read();
        const saved = state.credentials[id];
        if (!saved) return fail(credentialNotFound(id));
        if (saved.settings.authMethod !== 'password') {
          return fail({ code: ErrorCode.InvalidInput, message: 'This mailbox signs in with Modern Authentication: it has no password to change.', fix: 'Choose Normal Password in Details first.' });
        }
        await store.setPassword(id, newPassword);
        // Seed 002: after Ok, Test Connection says whether the mailbox takes the new password.
        store.write({ ...state, credentials: { ...state.credentials, [id]: { ...saved, status: null } } });
        return ok((await rowOf(store.read(), id)) as IntegrationCredentialView);
      });
      // Only the keychain and this installation's status changed: nothing the team shares waits to be refused.
      return changed(result.ok ? result.value : result);
    },

    async test(id, next, password) {
      const chosen = await guarded(() => signInForTest(id, next, password));
      if (!chosen.ok) return chosen;
      if (!chosen.value.ok) return fail(inIntegrationWords(chosen.value.error, next));
      const outcome = await testIntegrationConnection(next, chosen.value.value, {
        trusted: (key) => settings.trustedCertificate(key),
        logger: deps.logger,
        ...(deps.testTimeouts ? { timeouts: deps.testTimeouts } : {}),
      });
      if (id !== undefined) {
        const recorded = await guarded(() => recordStatus(id, next, outcome));
        if (!recorded.ok) deps.logger.warn('The Test Connection status could not be kept', { code: recorded.error.code });
      }
      return outcome;
    },

    listAliases: (credentialId) => guarded(async () => aliasViews(store.read(), credentialId)),

    async addAlias(alias) {
      const typeRefusal = await activityTypeRefusal(alias.target);
      if (typeRefusal) return fail(typeRefusal);
      const added = await guarded(async (): Promise<Result<AliasView[]>> => {
        const state = store.read();
        const refusal = aliasRefusal(state, alias.address, alias.credentialId);
        if (refusal) return fail(refusal);
        const id = newIntegrationId(takenIds(state));
        store.write({ ...state, aliases: { ...state.aliases, [id]: { address: alias.address, credentialId: alias.credentialId, target: alias.target, isDefault: false } } });
        return ok(aliasViews(store.read()));
      });
      return savedAndShared(added.ok ? added.value : added);
    },

    async deleteAlias(id) {
      const deleted = await guarded(async (): Promise<Result<AliasView[]>> => {
        const state = store.read();
        const alias = state.aliases[id];
        if (!alias) return fail(aliasNotFound(id));
        if (alias.isDefault) {
          return fail({
            code: ErrorCode.InvalidInput,
            message: `${alias.address} is the mailbox’s own alias: it goes when the mailbox is deleted.`,
            fix: 'Delete the integration mailbox itself to remove it.',
          });
        }
        const { [id]: _gone, ...aliases } = state.aliases;
        store.write({ ...state, aliases });
        return ok(aliasViews(store.read()));
      });
      return savedAndShared(deleted.ok ? deleted.value : deleted);
    },

    async signIn(id, options, via) {
      const found = await guarded(async () => store.read().credentials[id] ?? null);
      if (!found.ok) return found;
      const saved = found.value;
      if (!saved) return fail(credentialNotFound(id));
      if (saved.settings.authMethod === 'password') return fail(notModernAuthentication);
      // The mailbox's address is who should sign in: the provider's page starts with it filled in.
      const signedIn = await deps.accounts.signIn(integrationAccountOf(id), { ...options, loginHint: options.loginHint ?? saved.settings.mailbox }, via);
      if (signedIn.ok) {
        // A new sign-in makes the last failure history: the next test or run says how it goes now.
        const cleared = await guarded(async () => {
          const state = store.read();
          const current = state.credentials[id];
          if (current) store.write({ ...state, credentials: { ...state.credentials, [id]: { ...current, status: null } } });
        });
        if (!cleared.ok) deps.logger.warn('The sign-in’s status could not be cleared', { code: cleared.error.code });
        await announce();
      }
      return signedIn;
    },

    async signOut(id) {
      if (builtInIds.includes(id)) return fail(builtInRefusal(id));
      const reset = await deps.accounts.reset(integrationAccountOf(id));
      if (reset.ok) await announce();
      return reset;
    },
  };
}
