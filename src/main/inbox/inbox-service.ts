import type { ImapFlowOptions } from 'imapflow';
import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import {
  folderOf,
  inboxConnectionSucceeded,
  inboxLabels,
  type InboxQuarantineEntry,
  type InboxRecordDetail,
  type InboxRecordSummary,
  type FirstConnection,
  type InboxRunSummary,
  type InboxSettings,
  type InboxView,
} from '../../shared/inbox';
import type { PasswordChange } from '../../shared/mail-server';
import { mailboxNames, type InboxId } from '../../shared/mailboxes';
import type { EventBus } from '../events/event-bus';
import { guarded } from '../guarded';
import type { Logger } from '../log/logger';
import type { SecretRegistry } from '../log/redact';
import { redactErrorsWithin } from '../log/redact-value';
import { trustServerCertificate } from '../mail/certificate-trust';
import { passwordNeededForNewServer, storedPasswordMayGoTo } from '../mail/credential-guard';
import { trustedCertificateKey } from '../mail/tls-options';
import type { RecordsStore } from '../records/records-store';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { imapClientOptions, testConnectionTimeouts } from './imap-client-options';
import { explainImapFailure, tryImapSignIn } from './imap-connection-test';
import type { InboxCredentials } from './inbox-credentials';
import { recordDetailOf, recordSummaryOf } from './inbox-record-views';
import { inboxMailboxKey, type RetrievedByLookup } from './retrieved-by';
import { progressOf, runSummaryOf } from './inbox-run-summary';
import { inboxWarnings } from './inbox-warnings';
import type { ParsedInbound } from './inbound-message';
import { probeMailbox, type MailboxAtFirstConnection } from './first-connection-probe';
import { accountKeyOf } from './retrieval/account-key';
import type { RetrievalRun } from './retrieval/run-retrieval';
import type { RetrievalSummary } from './retrieval/retrieval-types';

export interface InboxServiceDeps {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly credentials: InboxCredentials;
  readonly records: () => Promise<RecordsStore>;
  readonly events: EventBus;
  readonly logger: Logger;
  /** The secrets this process has seen: blanked from a run's errors before they are kept on disk. */
  readonly secretRegistry: SecretRegistry;
  readonly now: () => Date;
  /** Empties a mailbox into records (retrieval/run-retrieval.ts). */
  readonly runRetrieval: (run: RetrievalRun) => Promise<Result<RetrievalSummary>>;
  /** Reads a kept message again, for the records view (parse/parse-inbound.ts). */
  readonly parse: (raw: Buffer, inbox: InboxId) => Promise<ParsedInbound>;
  /** Sends the Service Desk acknowledgements a run queued, once its records are committed (case-acknowledgement-sender.ts). */
  readonly sendAcknowledgements?: () => Promise<unknown>;
  /** Which installation empties a mailbox, on a records database several share (retrieved-by.ts). */
  readonly retrievedBy?: RetrievedByLookup;
  /**
   * Team mode: waits until a save is shared with the other installations; the warning to show when it was
   * refused because another installation had changed the inbox meanwhile (its settings are then kept).
   */
  readonly afterSave?: (inbox: InboxId) => Promise<AppError | null>;
}

const otherInboxOf: Readonly<Record<InboxId, InboxId>> = { lead: 'serviceDesk', serviceDesk: 'lead' };

function notConfigured(inbox: InboxId): AppError {
  return {
    code: ErrorCode.NotConfigured,
    message: `The ${mailboxNames[inbox]} is not set up yet.`,
    fix: `Enter the ${inboxLabels.serverName}, ${inboxLabels.userName} and ${inboxLabels.password} of the mailbox, and click Save.`,
  };
}

function unknownRecord(id: number): AppError {
  return { code: ErrorCode.InvalidInput, message: `There is no record ${id}.`, fix: 'List the records again: it may have been removed.' };
}

/**
 * Lead Inbox and Service Desk Inbox (seed 000): their settings and password, Test Connection (seed 002),
 * "Trust this certificate", "Check now" (retrieval into records), and their records.
 */
export function createInboxService(deps: InboxServiceDeps) {
  const { settings, secrets, events } = deps;

  function neighbours(inbox: InboxId) {
    const send = settings.getMailbox('send');
    const other = otherInboxOf[inbox];
    const otherSettings = settings.getMailbox(other);
    return {
      sendDirect: send ? { senderAddress: send.senderAddress, userName: send.userName } : null,
      signedInAs: settings.getAccount('send')?.username ?? null,
      otherInbox: otherSettings ? { inbox: other, settings: otherSettings } : null,
    };
  }

  async function view(inbox: InboxId): Promise<InboxView> {
    const saved = settings.getMailbox(inbox);
    return {
      inbox,
      settings: saved,
      passwordStored: (await secrets.get(secretAccounts.mailboxPassword(inbox))) !== null,
      encryptionTurnedOn: settings.encryptionTurnedOnNotice(inbox),
      warnings: saved ? inboxWarnings(inbox, saved, neighbours(inbox)) : [],
      lastRun: await (await deps.records()).inboxRuns.last(inbox),
      retrievedBy: saved && deps.retrievedBy ? await deps.retrievedBy(inboxMailboxKey(saved, settings.getAccount(inbox)?.username ?? null)) : null,
    };
  }

  async function announce(inbox: InboxId): Promise<void> {
    const current = await guarded(() => view(inbox));
    if (current.ok) events.emit('inboxChanged', current.value);
  }

  /** The Type must be one the Type manager offers: existing and not retired. */
  async function recordTypeRefusal(recordType: string): Promise<AppError | null> {
    const type = await (await deps.records()).types.byName(recordType);
    if (type && !type.retired) return null;
    const message = type ? `The type “${type.name}” is retired.` : `There is no activity type “${recordType}”.`;
    return { code: ErrorCode.InvalidInput, message, fix: 'Choose a Type from the list, or add one with the gear beside it.', fieldErrors: { recordType: message } };
  }

  /** A failure to acknowledge is the acknowledgements' own: the run's outcome stands, the queue waits. */
  async function sendAcknowledgements(): Promise<void> {
    try {
      await deps.sendAcknowledgements?.();
    } catch (error) {
      deps.logger.warn('Service Desk acknowledgements failed', { detail: error instanceof Error ? error.message : String(error) });
    }
  }

  async function finishRun(inbox: InboxId, outcome: Result<RetrievalSummary>): Promise<Result<InboxRunSummary>> {
    // A run refused because another is going on is not an outcome: that other run reports its own.
    if (!outcome.ok && outcome.error.code === ErrorCode.RetrievalInProgress) return outcome;
    // A server's words quoted in an error could echo what it was sent: nothing secret is kept on disk.
    const summary = redactErrorsWithin(runSummaryOf(inbox, outcome, deps.now()), deps.secretRegistry.values());
    await (await deps.records()).inboxRuns.add(summary);
    await announce(inbox);
    return outcome.ok ? ok(summary) : fail(outcome.error);
  }

  /** The saved inbox's connection, signed in afresh. */
  async function savedConnection(inbox: InboxId): Promise<Result<{ readonly connection: ImapFlowOptions; readonly mailbox: string }>> {
    const saved = settings.getMailbox(inbox);
    if (!saved) return fail(notConfigured(inbox));
    const auth = await deps.credentials.signInFor(inbox, saved, { kind: 'keep' });
    if (!auth.ok) return auth;
    return ok({ connection: imapClientOptions(saved, auth.value, settings.trustedCertificate(trustedCertificateKey(saved))), mailbox: folderOf(saved) });
  }

  async function probeSavedMailbox(inbox: InboxId): Promise<Result<{ connection: ImapFlowOptions; mailboxName: string; mailbox: MailboxAtFirstConnection }>> {
    const reach = await savedConnection(inbox);
    if (!reach.ok) return reach;
    try {
      return ok({ connection: reach.value.connection, mailboxName: reach.value.mailbox, mailbox: await probeMailbox(reach.value.connection, reach.value.mailbox) });
    } catch (error) {
      return fail({
        code: ErrorCode.ConnectionLost,
        message: `The mailbox could not be looked into: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'Click Test Connection to see what is wrong, then try again.',
      });
    }
  }

  return {
    get: (inbox: InboxId) => guarded(() => view(inbox)),

    async save(inbox: InboxId, next: InboxSettings, password: PasswordChange): Promise<Result<InboxView>> {
      const typeRefusal = await recordTypeRefusal(next.recordType);
      if (typeRefusal) return fail(typeRefusal);
      const account = secretAccounts.mailboxPassword(inbox);
      // "Keep" would leave the stored password in place for a server it was not saved for: the next run
      // would hand it over. A new destination needs its own password (or none).
      if (next.authMethod === 'password' && password.kind === 'keep') {
        const previous = await guarded(async () => ({ saved: settings.getMailbox(inbox), stored: (await secrets.get(account)) !== null }));
        if (!previous.ok) return previous;
        if (previous.value.stored && !storedPasswordMayGoTo(previous.value.saved, next)) return fail(passwordNeededForNewServer);
      }
      const saved = await guarded(async () => {
        // The keychain goes first: if it refuses, nothing changes at all, and nothing lands in a file.
        if (next.authMethod !== 'password' || password.kind === 'clear') await secrets.delete(account);
        else if (password.kind === 'set') await secrets.set(account, password.value);
        settings.setMailbox(inbox, next);
        const refused = (await deps.afterSave?.(inbox)) ?? null;
        const current = await view(inbox);
        return refused ? { ...current, warnings: [...current.warnings, refused] } : current;
      });
      if (!saved.ok) return saved;
      events.emit('inboxChanged', saved.value);
      // The other inbox's "same mailbox" warning may have appeared or gone with this change.
      if (settings.getMailbox(otherInboxOf[inbox])) await announce(otherInboxOf[inbox]);
      return saved;
    },

    /** Connects, secures, signs in and logs out (seed 002), with the form's values, saved or not. */
    async testConnection(inbox: InboxId, connection: InboxSettings, password: PasswordChange): Promise<Result<{ message: string }>> {
      const auth = await deps.credentials.signInFor(inbox, connection, password);
      if (!auth.ok) return auth;
      const trusted = settings.trustedCertificate(trustedCertificateKey(connection));
      const failure = await tryImapSignIn({ ...imapClientOptions(connection, auth.value, trusted), ...testConnectionTimeouts }, folderOf(connection));
      if (failure === null) return ok({ message: inboxConnectionSucceeded });
      const explained = await explainImapFailure(failure, connection, { trusted: (key) => settings.trustedCertificate(key), logger: deps.logger });
      return fail(await deps.credentials.explainRefusal(inbox, connection, explained));
    },

    /** "Trust this certificate" for the inbox's server, if it still shows this fingerprint. */
    trustCertificate(_inbox: InboxId, connection: InboxSettings, fingerprint256: string): Promise<Result<void>> {
      return trustServerCertificate({ settings, now: deps.now }, 'imap', connection, fingerprint256);
    },

    /**
     * "Check now": empties the saved inbox into records, and keeps how it ended for the dialog. `signal`
     * stops the run at its next clean stop point (RETRIEVAL_CANCELLED; `mail-settings serve` stopping).
     */
    async checkNow(inbox: InboxId, options: { readonly signal?: AbortSignal } = {}): Promise<Result<InboxRunSummary>> {
      const loaded = await guarded(async () => settings.getMailbox(inbox));
      if (!loaded.ok) return loaded;
      const saved = loaded.value;
      if (!saved) return fail(notConfigured(inbox));
      // A run asked for (Check now, "Import all", `retrieve`) answers the first connection's question:
      // the schedule only calls this once it is answered.
      await (await deps.records()).firstImportQuestions.answer(inbox);
      const auth = await deps.credentials.signInFor(inbox, saved, { kind: 'keep' });
      if (!auth.ok) return finishRun(inbox, auth);
      const soFar = { total: 0, retrieved: 0 };
      const outcome = await deps.runRetrieval({
        inbox,
        dataDir: deps.dataDir,
        connection: imapClientOptions(saved, auth.value, settings.trustedCertificate(trustedCertificateKey(saved))),
        leadActivityType: saved.recordType,
        acknowledgeNewCases: inbox === 'serviceDesk' && saved.acknowledgeNewCases === true,
        mailbox: folderOf(saved),
        keepOnServer: saved.keepOnServer === true,
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => {
          const event = progressOf(inbox, progress, soFar);
          if (event) events.emit('retrievalProgress', event);
        },
      });
      // After the run: every case it opened is committed, whether the run ended well or not.
      if (inbox === 'serviceDesk') await sendAcknowledgements();
      return finishRun(inbox, outcome.ok ? outcome : fail(await deps.credentials.explainRefusal(inbox, saved, outcome.error)));
    },

    /**
     * The saved inbox's connection, signed in afresh (a renewed token), for a watch for new mail (IDLE):
     * the same server, sign-in and trusted certificate as a run.
     */
    watchConnection: (inbox: InboxId) => savedConnection(inbox),

    /**
     * After an inbox's first Save: whether its mailbox holds mail already, so the dialog can ask "Import
     * all" or "Only mail arriving from now on". Nothing to ask once the inbox has records, a counter or a run.
     */
    async firstConnection(inbox: InboxId): Promise<Result<FirstConnection>> {
      const store = await deps.records();
      if ((await store.counters.has(inbox)) || (await store.inboxRuns.last(inbox)) !== null || (await store.inbox.list({ inbox, limit: 1 })).length > 0) return ok({ holdsMail: false });
      const probed = await probeSavedMailbox(inbox);
      if (!probed.ok) return probed;
      const { exists, oldest } = probed.value.mailbox;
      if (exists === 0) return ok({ holdsMail: false });
      // Until the user answers, the schedule and the IDLE watch leave this mailbox alone.
      await store.firstImportQuestions.ask(inbox);
      return ok({ holdsMail: true, count: exists, oldest: oldest?.toISOString() ?? null });
    },

    /**
     * Whether this installation can sign in to the saved inbox: its password in this keychain, or its
     * Modern Authentication sign-in made here. Settings shared by another installation bring neither.
     */
    async signInHere(inbox: InboxId): Promise<boolean> {
      const saved = settings.getMailbox(inbox);
      if (!saved) return false;
      if (saved.authMethod !== 'password') return settings.getAccount(inbox) !== null;
      return (await secrets.get(secretAccounts.mailboxPassword(inbox))) !== null;
    },

    /** Whether the first connection's question waits for an answer (scheduled runs then skip the inbox). */
    async awaitsFirstImportChoice(inbox: InboxId): Promise<boolean> {
      return (await deps.records()).firstImportQuestions.isOpen(inbox);
    },

    /**
     * "Only mail arriving from now on": the counter goes to UIDNEXT - 1, so runs take only what arrives
     * later. The mail there now stays on the server untouched, also when the inbox empties the mailbox.
     */
    async importFromNow(inbox: InboxId): Promise<Result<{ readonly leftOnServer: number }>> {
      const probed = await probeSavedMailbox(inbox);
      if (!probed.ok) return probed;
      const { connection, mailboxName, mailbox } = probed.value;
      const user = connection.auth?.user ?? '';
      const location = { inbox, accountKey: accountKeyOf(connection.host ?? '', user), mailbox: mailboxName, uidValidity: mailbox.uidValidity };
      const store = await deps.records();
      await store.counters.set(location, mailbox.uidNext - 1);
      await store.firstImportQuestions.answer(inbox);
      return ok({ leftOnServer: mailbox.exists });
    },

    /**
     * "Reset mailbox counter" (seed 003): the next run of a "Leave messages on the server" inbox reads the
     * whole mailbox again and makes records only of what the records do not have yet. Issue 14 puts an
     * administrator's confirmation in front of it; this takes none yet.
     */
    async resetCounter(inbox: InboxId): Promise<Result<{ readonly hadCounter: boolean }>> {
      return guarded(async () => ({ hadCounter: await (await deps.records()).counters.reset(inbox) }));
    },

    /** The records view: the inbox's most recent records first. */
    async listRecords(inbox: InboxId, limit = 100): Promise<Result<InboxRecordSummary[]>> {
      return ok((await (await deps.records()).inbox.list({ inbox, limit })).map(recordSummaryOf));
    },

    /** Messages left on the server because they could not be kept (too large, a refused fetch), oldest first. */
    async listQuarantine(inbox: InboxId): Promise<Result<InboxQuarantineEntry[]>> {
      return ok(await (await deps.records()).quarantine.list(inbox));
    },

    async getRecord(id: number): Promise<Result<InboxRecordDetail>> {
      const store = await deps.records();
      const record = await store.inboxRecord(id);
      const raw = record ? await store.inbox.raw(id) : null;
      if (!record || !raw) return fail(unknownRecord(id));
      const caseThread = record.caseId === null ? [] : await store.inbox.caseThread(record.caseId);
      return ok(recordDetailOf(record, raw, await deps.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), record.inbox), caseThread));
    },

    /** The exact bytes the server served (the CLI's `records raw`). */
    async rawRecord(id: number): Promise<Result<Uint8Array>> {
      const raw = await (await deps.records()).inbox.raw(id);
      return raw ? ok(raw) : fail(unknownRecord(id));
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
