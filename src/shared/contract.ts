import { z } from 'zod';
import type { AppError, Result } from './errors';
import { passwordChangeSchema } from './mail-server';
import { sendDirectSettingsSchema, type SendDirectView } from './send-direct';
import { testEmailSchema, type ChosenAttachment, type SentEmail } from './test-email';
import type { AppStatus } from './app-status';
import { recordsDatabaseFormSchema, type RecordsDatabaseSaved, type RecordsDatabaseView } from './records-database';
import { accountIdSchema, providerOptionsSchema, signInVias, type AccountState, type SignInProgress } from './accounts';
import {
  adminCodeSchema,
  adminEmailSchema,
  adminPasswordSchema,
  type AdminPasswordStep,
  type AdminStatus,
  type ReauthNotice,
  type TwoFactorEnabled,
  type TwoFactorSetup,
} from './admin';
import {
  aliasInputSchema,
  integrationIdSchema,
  integrationSettingsSchema,
  type AliasView,
  type IntegrationCredentialView,
} from './integration';
import {
  activityTypeNameSchema,
  inboxIds,
  inboxSettingsSchema,
  type FirstConnection,
  type ActivityTypeView,
  type InboxQuarantineEntry,
  type InboxRecordDetail,
  type InboxRecordSummary,
  type InboxRetrievalProgress,
  type InboxRunSummary,
  type InboxView,
} from './inbox';

/**
 * The IPC contract: the one place that says which channels exist, what each accepts (a zod schema, the
 * only thing that turns an `unknown` payload into a typed request) and what each answers. Main registers
 * its handlers from it, preload exposes one method per channel from it, and the renderer's API type is
 * derived from it. Nothing is kept in sync by hand.
 */

declare const responseType: unique symbol;

export interface ChannelSpec<TRequest extends z.ZodType, TResponse> {
  readonly request: TRequest;
  /** Type-level only: the value a successful call answers with. */
  readonly [responseType]?: TResponse;
}

function channel<TResponse>() {
  return <TRequest extends z.ZodType>(request: TRequest): ChannelSpec<TRequest, TResponse> => ({ request });
}

const noArguments = z.object({}).strict();
/** A sign-in: one of the app's mailboxes, or an Email Integration mailbox on Modern Authentication. */
const account = accountIdSchema;
const inbox = z.enum(inboxIds, { error: 'Unknown inbox.' });
const fingerprint256 = z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/, 'This is not a certificate fingerprint.');
const recordId = z.number().int().positive();

export const contract = {
  getAppStatus: channel<AppStatus>()(noArguments),
  getSendDirect: channel<SendDirectView>()(noArguments),
  saveSendDirect: channel<SendDirectView>()(
    z.object({ settings: sendDirectSettingsSchema, password: passwordChangeSchema }).strict(),
  ),
  /** Test Connection: connect, TLS, sign in, quit; with the form's values (saved or not). */
  testSendDirect: channel<{ message: string }>()(z.object({ settings: sendDirectSettingsSchema, password: passwordChangeSchema }).strict()),
  /** "Attach files…": main's open-file dialog; answers an opaque handle per chosen file (none if cancelled). */
  chooseAttachments: channel<ChosenAttachment[]>()(noArguments),
  /** Sends a message with the saved Send Direct settings; local images are embedded, attachments are handles. */
  sendTestEmail: channel<SentEmail>()(testEmailSchema),
  /** "Trust this certificate" for the server in the form, if it still shows this fingerprint. */
  trustCertificate: channel<void>()(
    z.object({ settings: sendDirectSettingsSchema, fingerprint256: z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/, 'This is not a certificate fingerprint.') }).strict(),
  ),
  getAccountState: channel<AccountState>()(z.object({ mailbox: account }).strict()),
  /** Interactive sign-in; answers when it is finished (or failed, cancelled, timed out). */
  signIn: channel<AccountState>()(
    z.object({ mailbox: account, provider: providerOptionsSchema, via: z.enum(signInVias, { error: 'Choose popup, browser or link.' }) }).strict(),
  ),
  cancelSignIn: channel<boolean>()(z.object({ mailbox: account }).strict()),
  /** "Sign in with your web browser instead": the waiting sign-in moves to the system browser. */
  continueSignInInBrowser: channel<void>()(z.object({ mailbox: account }).strict()),
  /** A silent refresh now: is the grant still alive? */
  checkAccount: channel<AccountState>()(z.object({ mailbox: account }).strict()),
  /** Reset: forget (and revoke) the mailbox's tokens. */
  resetAccount: channel<AccountState>()(z.object({ mailbox: account }).strict()),
  /** Opens a help or fix-it link in the user's browser; only https links are opened. */
  openExternalLink: channel<void>()(z.object({ url: z.string().max(2048) }).strict()),

  // Lead Inbox and Service Desk Inbox (seed 000).
  getInbox: channel<InboxView>()(z.object({ inbox }).strict()),
  /** Save: the password goes to the keychain, and a kept one only if the server, port, user and method are unchanged. */
  saveInbox: channel<InboxView>()(z.object({ inbox, settings: inboxSettingsSchema, password: passwordChangeSchema }).strict()),
  /** Test Connection: connect, TLS, sign in, log out; with the form's values (saved or not). */
  testInbox: channel<{ message: string }>()(z.object({ inbox, settings: inboxSettingsSchema, password: passwordChangeSchema }).strict()),
  /** "Trust this certificate" for the inbox's server in the form, if it still shows this fingerprint. */
  trustInboxCertificate: channel<void>()(z.object({ inbox, settings: inboxSettingsSchema, fingerprint256 }).strict()),
  /** "Check now": empties the saved inbox into records; answers how the run ended (a failure is an error). */
  checkInboxNow: channel<InboxRunSummary>()(z.object({ inbox }).strict()),
  /**
   * "Reset mailbox counter" (seed 003), after the administrator's login prompt and "Confirm you wish to
   * proceed". Administrators only: main checks its own admin session, nothing the renderer sends.
   */
  resetInboxCounter: channel<{ hadCounter: boolean }>()(z.object({ inbox }).strict()),
  /** After the first Save: does the mailbox hold mail already (no records, no counter yet)? How much, since when. */
  inboxFirstConnection: channel<FirstConnection>()(z.object({ inbox }).strict()),
  /** "Only mail arriving from now on": the mailbox counter goes to the newest message there now. */
  importInboxFromNow: channel<{ leftOnServer: number }>()(z.object({ inbox }).strict()),
  /** The Type manager: every activity type, retired ones included. Each change answers the new list. */
  listActivityTypes: channel<ActivityTypeView[]>()(noArguments),
  addActivityType: channel<ActivityTypeView[]>()(z.object({ name: activityTypeNameSchema }).strict()),
  renameActivityType: channel<ActivityTypeView[]>()(z.object({ id: recordId, name: activityTypeNameSchema }).strict()),
  /** Retires a type: deleted when nothing uses it, otherwise kept for its records and no longer offered. */
  retireActivityType: channel<ActivityTypeView[]>()(z.object({ id: recordId }).strict()),
  /** The records view: an inbox's most recent records first. */
  listInboxRecords: channel<InboxRecordSummary[]>()(z.object({ inbox, limit: z.number().int().min(1).max(1000).optional() }).strict()),
  getInboxRecord: channel<InboxRecordDetail>()(z.object({ id: recordId }).strict()),
  /** Messages left on the server because they could not be kept (too large, a refused fetch), oldest first. */
  listInboxQuarantine: channel<InboxQuarantineEntry[]>()(z.object({ inbox }).strict()),

  // Administrators (issue 14; seeds 001 and 003). Admin-only channels are marked in main's handler table.
  getAdminStatus: channel<AdminStatus>()(noArguments),
  /** While no administrator exists: creates the first one, 2FA still to set up; answers what the authenticator app needs. */
  createFirstAdmin: channel<TwoFactorSetup>()(z.object({ email: adminEmailSchema, password: adminPasswordSchema }).strict()),
  /** "Submit" on the 2FA screen: a right security number turns 2FA on and signs the administrator in; the recovery codes come once. */
  confirmTwoFactor: channel<TwoFactorEnabled>()(z.object({ email: adminEmailSchema, code: adminCodeSchema }).strict()),
  /** The sign-in's first step: email and password. */
  adminSignInPassword: channel<AdminPasswordStep>()(z.object({ email: adminEmailSchema, password: adminPasswordSchema }).strict()),
  /** The second step, within 5 minutes of the first: the one-time security number, or a recovery code. */
  adminSignInCode: channel<AdminStatus>()(z.object({ email: adminEmailSchema, code: adminCodeSchema }).strict()),
  adminSignOut: channel<AdminStatus>()(noArguments),
  /** The user is at work in the window: a signed-in administrator's 15 idle minutes start again. */
  noteAdminActivity: channel<AdminStatus>()(noArguments),
  /** Mailboxes whose mail has stopped, or will soon, for want of a new sign-in. */
  listReauthNotices: channel<ReauthNotice[]>()(noArguments),
  /** "Re-authenticate Now" (administrators only): the mailbox's sign-in, with its saved settings. */
  reauthenticate: channel<AccountState>()(z.object({ mailbox: account }).strict()),

  // System Admin › Email Integration (issue 15; seed 002). Changes are administrators' only.
  /** The dashboard: every mailbox credential the app holds (Send Direct, the two inboxes, added mailboxes). */
  listIntegrations: channel<IntegrationCredentialView[]>()(noArguments),
  getIntegration: channel<IntegrationCredentialView>()(z.object({ id: integrationIdSchema }).strict()),
  /** Add: the password is required (password sign-in); a default alias for the mailbox's own address comes with it. */
  addIntegration: channel<IntegrationCredentialView>()(
    z.object({ settings: integrationSettingsSchema, password: z.string().max(1024, 'The password is too long: keep it under 1024 characters.') }).strict(),
  ),
  /** Details › Save: the password is not part of it (Change Password is); a new host, port or mailbox drops the stored one. */
  updateIntegration: channel<IntegrationCredentialView>()(z.object({ id: integrationIdSchema, settings: integrationSettingsSchema }).strict()),
  /** Delete: refused while aliases other than its own default route mail through it (they are named). */
  deleteIntegration: channel<IntegrationCredentialView[]>()(z.object({ id: integrationIdSchema }).strict()),
  /** Change Password (seed 002): New Password and Confirm Password must match. */
  changeIntegrationPassword: channel<IntegrationCredentialView>()(
    z.object({ id: integrationIdSchema, newPassword: z.string().max(1024), confirmPassword: z.string().max(1024) }).strict(),
  ),
  /** Test Connection with the form's values: a new password, or (with `id`) the stored one if the destination is unchanged. */
  testIntegration: channel<{ message: string }>()(
    z.object({ id: integrationIdSchema.optional(), settings: integrationSettingsSchema, password: passwordChangeSchema }).strict(),
  ),
  /** "Check now" on an added mailbox: empties it through its aliases at once; answers its row (tick or cross). */
  checkIntegrationNow: channel<IntegrationCredentialView>()(z.object({ id: integrationIdSchema }).strict()),
  listAliases: channel<AliasView[]>()(z.object({ credentialId: integrationIdSchema.optional() }).strict()),
  addAlias: channel<AliasView[]>()(aliasInputSchema),
  /** A default alias goes only with its credential. */
  deleteAlias: channel<AliasView[]>()(z.object({ id: integrationIdSchema }).strict()),

  // Records database (issue 16): built in, or a shared PostgreSQL database. Administrators only; never a password in an answer.
  getRecordsDatabase: channel<RecordsDatabaseView>()(noArguments),
  /** Test: connects with the form's values (a stored password only to the address it was saved for). */
  testRecordsDatabase: channel<{ message: string }>()(z.object({ form: recordsDatabaseFormSchema }).strict()),
  /** Save: tested first; the address into the settings, the password into the keychain; in effect from the next start. */
  saveRecordsDatabase: channel<RecordsDatabaseSaved>()(z.object({ form: recordsDatabaseFormSchema }).strict()),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const channels = Object.keys(contract) as Channel[];

export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = Contract[C] extends ChannelSpec<z.ZodType, infer R> ? R : never;

/** Events main sends to the renderer, by name, with their payloads. */
export interface EventPayloads {
  /** The Send Direct settings changed (saved from this or another window). */
  sendDirectChanged: SendDirectView;
  /** A mailbox signed in, refreshed, needs re-authentication, or was reset. */
  accountStateChanged: AccountState;
  /** A sign-in is waiting for the user at this link. */
  signInProgress: SignInProgress;
  /** An inbox's settings changed, or a retrieval of it ended (its `lastRun`). */
  inboxChanged: InboxView;
  /** A retrieval in this process moved on. */
  retrievalProgress: InboxRetrievalProgress;
  /** An administrator signed in or out, a session ended after 15 idle minutes, or the first one was created. */
  adminChanged: AdminStatus;
  /** A mailbox's mail stopped, or will soon, or is flowing again: the current list. */
  reauthNoticesChanged: readonly ReauthNotice[];
  /** A credential or alias was added, changed or deleted, or a credential's status changed: the dashboard's rows. */
  integrationsChanged: readonly IntegrationCredentialView[];
}
export type EventName = keyof EventPayloads;
export const eventNames: readonly EventName[] = [
  'sendDirectChanged',
  'accountStateChanged',
  'signInProgress',
  'inboxChanged',
  'retrievalProgress',
  'adminChanged',
  'reauthNoticesChanged',
  'integrationsChanged',
];

/** The IPC channel name of a contract channel or event; prefixed so nothing else can collide. */
export function ipcChannelOf(name: Channel | EventName): string {
  return `mail-settings:${name}`;
}

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name);
}

/** The API the renderer sees on `window.mailSettings`: one method per channel, one subscription per event. */
export type MailSettingsApi = {
  readonly [C in Channel]: (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => () => void;
};

export type { AppError, Result };
