import type { AppError } from '../../shared/errors';
import { fieldErrorsOf } from '../../shared/field-errors';
import { checkEveryMinutesOf, defaultInboxSettings, folderOf, inboxSettingsSchema, sharedMailboxAuthMethod, type InboxId, type InboxSettings, type InboxView } from '../../shared/inbox';
import { mailProtocolFacts, passwordForNewServer, type AuthMethod, type PasswordChange, type SecurityMode } from '../../shared/mail-server';
import { assertNever } from '../assert-never';
import {
  changePasswordErrors,
  editChangePassword,
  emptyChangePasswordDraft,
  isNewDestination,
  passwordChangeMessage,
  typedPassword,
  type ChangePasswordDraft,
  type ChangePasswordField,
} from '../mail-account/password-state';
import { afterEdit, type SaveState } from '../mail-account/save-state';

/**
 * An inbox's "Configure … Processing" dialog (seed 000) as a reducer: the E-MAIL ACCOUNT fields, the
 * password (stored, changed or asked again for a new server, as in Send Direct), the record Type, the
 * messages under the fields and Save. Pure, so the container only wires it to React and the API.
 */

/** What the user edits, in the dialog's order: text as typed (the port too, so "99x" is shown back with its message). */
export interface InboxDraft {
  readonly serverName: string;
  readonly security: SecurityMode;
  readonly port: string;
  readonly userName: string;
  readonly authMethod: AuthMethod;
  /** "Allow sending my password without encryption": offered with None only, off until the user ticks it. */
  readonly allowInsecureAuth: boolean;
  /** "This is a shared mailbox" (Office 365 only): the Username is then a member's, who signs in. */
  readonly sharedMailboxChosen: boolean;
  /** The shared mailbox's address, while the option is ticked. */
  readonly sharedMailbox: string;
  readonly recordType: string;
  /** "Check for new mail every N minutes", as typed. */
  readonly checkEveryMinutes: string;
  /** The folder emptied, as typed (INBOX unless a rule files the mail elsewhere). */
  readonly folder: string;
  /** Service Desk: "Send an acknowledgement to whoever opens a case" (off unless ticked). */
  readonly acknowledgeNewCases: boolean;
  /** "Leave messages on the server": only new mail by the mailbox counter, nothing removed. */
  readonly keepOnServer: boolean;
}

export type InboxDraftField = keyof InboxDraft;
export type InboxTextField = 'serverName' | 'port' | 'userName' | 'sharedMailbox' | 'checkEveryMinutes' | 'folder';
export type InboxMessageField = InboxDraftField | 'password';
export type InboxFieldMessages = Readonly<Partial<Record<InboxMessageField, string>>>;

/** The small dialogs over the inbox's dialog: one at a time. */
export type InboxSubDialog = { readonly kind: 'none' } | ({ readonly kind: 'changePassword' } & ChangePasswordDraft) | { readonly kind: 'activityTypes' };

export interface InboxFormState {
  readonly inbox: InboxId;
  /** What main last answered: the reference for "changed?" and for Cancel. */
  readonly saved: InboxView;
  readonly draft: InboxDraft;
  /** The user typed the port: SSL choices no longer change it. */
  readonly portTyped: boolean;
  /** What Save asks of the keychain; a new password lives only here until Save. */
  readonly password: PasswordChange;
  /** A field gets its message when left or on Save; once shown it is re-checked on every keystroke. */
  readonly errors: InboxFieldMessages;
  readonly save: SaveState;
  readonly subDialog: InboxSubDialog;
}

export type InboxFormAction =
  | { readonly type: 'edit'; readonly field: InboxTextField; readonly value: string }
  | { readonly type: 'chooseSecurity'; readonly value: SecurityMode }
  | { readonly type: 'chooseAuthMethod'; readonly value: AuthMethod }
  | { readonly type: 'setAllowInsecureAuth'; readonly value: boolean }
  | { readonly type: 'chooseSharedMailbox'; readonly value: boolean }
  | { readonly type: 'chooseRecordType'; readonly value: string }
  | { readonly type: 'setAcknowledgeNewCases'; readonly value: boolean }
  | { readonly type: 'setKeepOnServer'; readonly value: boolean }
  /**
   * Modern Authentication signed the mailbox in: an empty Username becomes the signed-in mailbox; for a
   * shared mailbox the Username is always who signed in (the member).
   */
  | { readonly type: 'signedIn'; readonly username: string }
  /** A type was renamed in the Type manager: a form that had it chosen follows the new name. */
  | { readonly type: 'recordTypeRenamed'; readonly from: string; readonly to: string }
  | { readonly type: 'blur'; readonly field: InboxMessageField }
  | { readonly type: 'typePassword'; readonly value: string }
  | { readonly type: 'removePassword' }
  | { readonly type: 'keepPassword' }
  | { readonly type: 'openChangePassword' }
  | { readonly type: 'editChangePassword'; readonly field: ChangePasswordField; readonly value: string }
  | { readonly type: 'confirmChangePassword' }
  | { readonly type: 'openActivityTypes' }
  | { readonly type: 'closeSubDialog' }
  | { readonly type: 'saveRejectedLocally'; readonly errors: InboxFieldMessages }
  | { readonly type: 'saving' }
  | { readonly type: 'saveSucceeded'; readonly view: InboxView }
  | { readonly type: 'saveFailed'; readonly error: AppError }
  /** Main says the inbox changed (this dialog's save, another window's, a retrieval's end). */
  | { readonly type: 'changedElsewhere'; readonly view: InboxView };

export function draftOf(inbox: InboxId, settings: InboxSettings | null): InboxDraft {
  const source = settings ?? defaultInboxSettings(inbox);
  return {
    serverName: source.serverName,
    security: source.security,
    port: String(source.port),
    userName: source.userName,
    authMethod: source.authMethod,
    allowInsecureAuth: source.allowInsecureAuth ?? false,
    sharedMailboxChosen: source.sharedMailbox !== undefined,
    sharedMailbox: source.sharedMailbox ?? '',
    recordType: source.recordType,
    checkEveryMinutes: String(checkEveryMinutesOf(source)),
    folder: folderOf(source),
    acknowledgeNewCases: source.acknowledgeNewCases ?? false,
    keepOnServer: source.keepOnServer ?? false,
  };
}

/** The shared mailbox option is offered (and means something) with Office 365's Modern Authentication only. */
export function offersSharedMailbox(draft: InboxDraft): boolean {
  return draft.authMethod === sharedMailboxAuthMethod;
}

function readsSharedMailbox(draft: InboxDraft): boolean {
  return draft.sharedMailboxChosen && offersSharedMailbox(draft);
}

export function inboxFormOf(view: InboxView, save: SaveState = { kind: 'idle' }): InboxFormState {
  return {
    inbox: view.inbox,
    saved: view,
    draft: draftOf(view.inbox, view.settings),
    portTyped: false,
    password: { kind: 'keep' },
    errors: {},
    save,
    subDialog: { kind: 'none' },
  };
}

export function usesPassword(draft: InboxDraft): boolean {
  return draft.authMethod === 'password';
}

/** The form names another server, port, user or method than the stored password's: it asks for the new one. */
export function isNewPasswordDestination(form: InboxFormState): boolean {
  return isNewDestination(form.saved.settings, form.saved.passwordStored, form.draft);
}

export function needsPasswordForNewServer(form: InboxFormState): boolean {
  return isNewPasswordDestination(form) && form.password.kind === 'keep';
}

/** The password change Save and Test Connection send: Modern Authentication has no password to change. */
export function passwordToSend(form: InboxFormState): PasswordChange {
  return usesPassword(form.draft) ? form.password : { kind: 'keep' };
}

export type InboxValidation = { readonly ok: true; readonly settings: InboxSettings } | { readonly ok: false; readonly errors: InboxFieldMessages };

/** The shared schema decides, exactly as main will; an empty port is "no digits", not port 0. */
export function validateInboxDraft(draft: InboxDraft): InboxValidation {
  const port = draft.port.trim() === '' ? undefined : draft.port;
  const { sharedMailboxChosen: _chosen, sharedMailbox, checkEveryMinutes, acknowledgeNewCases, keepOnServer, ...connection } = draft;
  const parsed = inboxSettingsSchema.safeParse({
    ...connection,
    port,
    ...(readsSharedMailbox(draft) ? { sharedMailbox } : {}),
    checkEveryMinutes: minutesOf(checkEveryMinutes),
    // Absent means off: settings saved before the option existed read the same as unticked ones.
    ...(acknowledgeNewCases ? { acknowledgeNewCases } : {}),
    ...(keepOnServer ? { keepOnServer } : {}),
  });
  if (parsed.success) return { ok: true, settings: parsed.data };
  return { ok: false, errors: fieldErrorsOf(parsed.error) as InboxFieldMessages };
}

/** Digits are a number of minutes; anything else goes to the schema as typed, which says what is wrong. */
function minutesOf(typed: string): number | string {
  const trimmed = typed.trim();
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The checks Save runs before anything is sent: the settings, and a typed password. */
export function validateInboxForSave(form: InboxFormState): InboxValidation {
  const result = validateInboxDraft(form.draft);
  if (result.ok && passwordMessage(form).password === undefined) return result;
  return { ok: false, errors: allMessages(form) };
}

const draftFields: readonly InboxDraftField[] = ['serverName', 'security', 'port', 'userName', 'authMethod', 'allowInsecureAuth', 'sharedMailboxChosen', 'sharedMailbox', 'recordType', 'checkEveryMinutes', 'folder', 'acknowledgeNewCases', 'keepOnServer'];

function sameDraft(a: InboxDraft, b: InboxDraft): boolean {
  return draftFields.every((field) => a[field] === b[field]);
}

export function isInboxDirty(form: InboxFormState): boolean {
  return !sameDraft(form.draft, draftOf(form.inbox, form.saved.settings)) || passwordToSend(form).kind !== 'keep';
}

/** Main answers with paths like `settings.serverName` or `password.value`: map them onto the fields. */
export function inboxMessagesFromServer(fieldErrors: Readonly<Record<string, string>> | undefined): InboxFieldMessages {
  const messages: Partial<Record<InboxMessageField, string>> = {};
  for (const [path, message] of Object.entries(fieldErrors ?? {})) {
    const [head, field] = path.split('.');
    if (head === 'settings' && field !== undefined && (draftFields as readonly string[]).includes(field)) messages[field as InboxDraftField] ??= message;
    else if (head === 'password') messages.password ??= message;
  }
  return messages;
}

/** The IMAP servers of the Modern Authentication providers: Office 365 and Gmail, both over SSL/TLS on 993. */
export const imapProviderServers: Readonly<Partial<Record<AuthMethod, { readonly serverName: string; readonly port: number; readonly security: SecurityMode }>>> = {
  'oauth-office365': { serverName: 'outlook.office365.com', port: mailProtocolFacts.imap.ports.tls, security: 'tls' },
  'oauth-google': { serverName: 'imap.gmail.com', port: mailProtocolFacts.imap.ports.tls, security: 'tls' },
};

/**
 * Choosing Office 365 or Google fills in that provider's IMAP server when the Mail Server is empty or still
 * another provider's; the port and SSL follow unless the user typed a port. Any other server stays.
 */
function withProviderServer(form: InboxFormState, authMethod: AuthMethod): InboxDraft {
  const known = imapProviderServers[authMethod];
  const server = form.draft.serverName.trim().toLowerCase();
  const replaceable = server === '' || Object.values(imapProviderServers).some((other) => other.serverName === server);
  if (known === undefined || !replaceable) return { ...form.draft, authMethod };
  return {
    ...form.draft,
    authMethod,
    serverName: known.serverName,
    // The allowance is for one server, as when the server is typed.
    allowInsecureAuth: false,
    ...(form.portTyped ? {} : { port: String(known.port), security: known.security }),
  };
}

/**
 * The port follows the SSL choice (seed 000's "Use SSL"): 993 with SSL/TLS, 143 with STARTTLS or None,
 * while the port is empty or one of the two and the user has not typed one.
 */
export function portForSecurity(security: SecurityMode, currentPort: string): string {
  const { tls, starttls } = mailProtocolFacts.imap.ports;
  const port = currentPort.trim();
  if (port !== '' && port !== String(tls) && port !== String(starttls)) return currentPort;
  return String(security === 'tls' ? tls : starttls);
}

export function inboxFormReducer(form: InboxFormState, action: InboxFormAction): InboxFormState {
  switch (action.type) {
    case 'edit': {
      // The allowance is for one server: another server or port has to be allowed again.
      const forgetsAllowance = action.field === 'serverName' || action.field === 'port';
      const draft = { ...form.draft, [action.field]: action.value, ...(forgetsAllowance ? { allowInsecureAuth: false } : {}) };
      return edited(form, draft, form.portTyped || action.field === 'port');
    }
    case 'chooseSecurity': {
      const port = form.portTyped ? form.draft.port : portForSecurity(action.value, form.draft.port);
      return edited(form, { ...form.draft, security: action.value, port, allowInsecureAuth: false }, form.portTyped);
    }
    case 'chooseAuthMethod':
      return edited(form, withProviderServer(form, action.value), form.portTyped);
    case 'signedIn': {
      const takesUserName = form.draft.userName.trim() === '' || (readsSharedMailbox(form.draft) && form.draft.userName.trim() !== action.username.trim());
      return takesUserName && action.username.trim() !== '' ? edited(form, { ...form.draft, userName: action.username }, form.portTyped) : form;
    }
    case 'chooseSharedMailbox':
      // Unticked, the address goes: a hidden address must not make the form "changed".
      return edited(form, { ...form.draft, sharedMailboxChosen: action.value, sharedMailbox: action.value ? form.draft.sharedMailbox : '' }, form.portTyped);
    case 'setAllowInsecureAuth':
      return edited(form, { ...form.draft, allowInsecureAuth: action.value && form.draft.security === 'none' }, form.portTyped);
    case 'chooseRecordType':
      return edited(form, { ...form.draft, recordType: action.value }, form.portTyped);
    case 'setAcknowledgeNewCases':
      return edited(form, { ...form.draft, acknowledgeNewCases: action.value }, form.portTyped);
    case 'setKeepOnServer':
      return edited(form, { ...form.draft, keepOnServer: action.value }, form.portTyped);
    case 'recordTypeRenamed':
      return form.draft.recordType === action.from ? edited(form, { ...form.draft, recordType: action.to }, form.portTyped) : form;
    case 'blur':
      return { ...form, errors: recheck(form, [action.field]) };
    case 'typePassword': {
      const next: InboxFormState = { ...form, password: typedPassword(action.value), save: afterEdit(form.save) };
      return { ...next, errors: recheck(next) };
    }
    case 'removePassword':
      return { ...form, password: { kind: 'clear' }, save: afterEdit(form.save) };
    case 'keepPassword':
      return { ...form, password: { kind: 'keep' }, errors: withoutPasswordMessage(form.errors), save: afterEdit(form.save) };
    case 'openChangePassword':
      return { ...form, subDialog: { kind: 'changePassword', ...emptyChangePasswordDraft } };
    case 'editChangePassword':
      if (form.subDialog.kind !== 'changePassword') return form;
      return { ...form, subDialog: { kind: 'changePassword', ...editChangePassword(form.subDialog, action.field, action.value) } };
    case 'confirmChangePassword': {
      if (form.subDialog.kind !== 'changePassword') return form;
      const errors = changePasswordErrors(form.subDialog);
      if (errors.newPassword !== undefined || errors.confirmPassword !== undefined) return { ...form, subDialog: { ...form.subDialog, errors } };
      return {
        ...form,
        password: { kind: 'set', value: form.subDialog.newPassword },
        errors: withoutPasswordMessage(form.errors),
        subDialog: { kind: 'none' },
        save: afterEdit(form.save),
      };
    }
    case 'openActivityTypes':
      return { ...form, subDialog: { kind: 'activityTypes' } };
    case 'closeSubDialog':
      return { ...form, subDialog: { kind: 'none' } };
    case 'saveRejectedLocally':
      return { ...form, errors: action.errors, save: { kind: 'invalid' } };
    case 'saving':
      return { ...form, save: { kind: 'saving' } };
    case 'saveSucceeded':
      return inboxFormOf(action.view, { kind: 'saved' });
    case 'saveFailed':
      return { ...form, errors: { ...form.errors, ...inboxMessagesFromServer(action.error.fieldErrors) }, save: { kind: 'failed', error: action.error } };
    case 'changedElsewhere':
      // Never throw away what the user is typing; a clean form shows the new values (and warnings, last run).
      // A change that is what the form holds already (a Type renamed here and saved by main) makes it clean.
      if (form.save.kind === 'saving') return form;
      if (isInboxDirty(form) && !(form.password.kind === 'keep' && sameDraft(form.draft, draftOf(form.inbox, action.view.settings)))) {
        return { ...form, saved: { ...form.saved, warnings: action.view.warnings, lastRun: action.view.lastRun ?? null } };
      }
      return { ...inboxFormOf(action.view, form.save), subDialog: form.subDialog };
    default:
      return assertNever(action);
  }
}

function edited(form: InboxFormState, draft: InboxDraft, portTyped: boolean): InboxFormState {
  const next: InboxFormState = { ...form, draft, portTyped, save: afterEdit(form.save) };
  return { ...next, errors: recheck(next) };
}

function passwordMessage(form: InboxFormState): InboxFieldMessages {
  if (needsPasswordForNewServer(form)) return { password: passwordForNewServer };
  const message = passwordChangeMessage(passwordToSend(form));
  return message === undefined ? {} : { password: message };
}

function allMessages(form: InboxFormState): InboxFieldMessages {
  const result = validateInboxDraft(form.draft);
  return { ...(result.ok ? {} : result.errors), ...passwordMessage(form) };
}

/** Re-checks the fields that show a message, plus `also`: the others stay quiet until left or saved. */
function recheck(form: InboxFormState, also: readonly InboxMessageField[] = []): InboxFieldMessages {
  const fresh = allMessages(form);
  const checked: Partial<Record<InboxMessageField, string>> = {};
  for (const field of [...(Object.keys(form.errors) as InboxMessageField[]), ...also]) {
    const message = fresh[field];
    if (message !== undefined) checked[field] = message;
  }
  return checked;
}

function withoutPasswordMessage(errors: InboxFieldMessages): InboxFieldMessages {
  const { password: _removed, ...rest } = errors;
  return rest;
}
