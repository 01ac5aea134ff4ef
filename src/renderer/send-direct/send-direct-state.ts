import type { AppError } from '../../shared/errors';
import { fieldErrorsOf } from '../../shared/field-errors';
import { passwordForNewServer, type AuthMethod, type PasswordChange, type SecurityMode } from '../../shared/mail-server';
import { defaultSendDirectSettings, knownProviderServers, sendDirectSettingsSchema, type SendDirectSettings, type SendDirectView } from '../../shared/send-direct';
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

export type { SaveState };

/**
 * The Send Direct section as a reducer: every state the section can be in, and how each user action or
 * API answer moves it. Pure, so the container only wires it to React and to the API.
 */

/** What the user edits: text as typed (the port too, so "58x" can be shown back with its message). */
export interface SendDirectDraft {
  readonly serverName: string;
  readonly senderName: string;
  readonly senderAddress: string;
  readonly userName: string;
  readonly authMethod: AuthMethod;
  readonly port: string;
  readonly security: SecurityMode;
  /** "Allow sending my password without encryption": offered with None only, off until the user ticks it. */
  readonly allowInsecureAuth: boolean;
}

export type DraftField = keyof SendDirectDraft;
/** The fields edited as text; the two choices have their own actions, typed by their value sets. */
export type TextField = 'serverName' | 'senderName' | 'senderAddress' | 'userName' | 'port';
/** Fields that can carry a message: the draft's, plus the password (server-side length check). */
export type MessageField = DraftField | 'password';
export type FieldMessages = Readonly<Partial<Record<MessageField, string>>>;

export type LoadState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loadFailed'; readonly error: AppError }
  | { readonly kind: 'ready'; readonly form: FormState };

export type DialogState = { readonly kind: 'closed' } | ({ readonly kind: 'changePassword' } & ChangePasswordDraft);

export interface FormState {
  /** What main last answered: the reference for "changed?" and for Cancel. */
  readonly saved: SendDirectView;
  readonly draft: SendDirectDraft;
  /** The user typed the port: SSL choices no longer change it. */
  readonly portTyped: boolean;
  /** What Save asks of the keychain. A typed or confirmed new password lives only here until Save. */
  readonly password: PasswordChange;
  /** Messages under the fields. A field gets one when the user leaves it or tries to Save ("punish late");
   * once shown, it is re-checked on every keystroke so it goes away as soon as the value is right. */
  readonly errors: FieldMessages;
  readonly save: SaveState;
  readonly dialog: DialogState;
}

export type Action =
  | { readonly type: 'loaded'; readonly view: SendDirectView }
  | { readonly type: 'loadFailed'; readonly error: AppError }
  | { readonly type: 'reloading' }
  | { readonly type: 'edit'; readonly field: TextField; readonly value: string }
  | { readonly type: 'chooseAuthMethod'; readonly value: AuthMethod }
  | { readonly type: 'chooseSecurity'; readonly value: SecurityMode }
  | { readonly type: 'setAllowInsecureAuth'; readonly value: boolean }
  | { readonly type: 'blur'; readonly field: MessageField }
  | { readonly type: 'typePassword'; readonly value: string }
  | { readonly type: 'removePassword' }
  | { readonly type: 'keepPassword' }
  | { readonly type: 'openChangePassword' }
  | { readonly type: 'editChangePassword'; readonly field: ChangePasswordField; readonly value: string }
  | { readonly type: 'confirmChangePassword' }
  | { readonly type: 'closeDialog' }
  | { readonly type: 'saveRejectedLocally'; readonly errors: FieldMessages }
  | { readonly type: 'saving' }
  | { readonly type: 'saveSucceeded'; readonly view: SendDirectView }
  | { readonly type: 'saveFailed'; readonly error: AppError }
  | { readonly type: 'discard' }
  /** A Modern Authentication sign-in finished: an empty User Name becomes the signed-in address. */
  | { readonly type: 'signedIn'; readonly username: string }
  /** Main says the settings changed (this window's save, or another window's). */
  | { readonly type: 'changedElsewhere'; readonly view: SendDirectView };

export const initialLoadState: LoadState = { kind: 'loading' };

export function draftOf(settings: SendDirectSettings | null): SendDirectDraft {
  const source = settings ?? defaultSendDirectSettings;
  return {
    serverName: source.serverName,
    senderName: source.senderName,
    senderAddress: source.senderAddress,
    userName: source.userName,
    authMethod: source.authMethod,
    port: String(source.port),
    security: source.security,
    allowInsecureAuth: source.allowInsecureAuth ?? false,
  };
}

function formOf(view: SendDirectView, save: SaveState): FormState {
  return {
    saved: view,
    draft: draftOf(view.settings),
    portTyped: false,
    password: { kind: 'keep' },
    errors: {},
    save,
    dialog: { kind: 'closed' },
  };
}

export function usesPassword(draft: SendDirectDraft): boolean {
  return draft.authMethod === 'password';
}

/**
 * The form names another server, port, user or method than the stored password was saved for: main will
 * not send that password there (credential-guard.ts), so the form asks for the new server's password.
 */
export function isNewPasswordDestination(form: FormState): boolean {
  return isNewDestination(form.saved.settings, form.saved.passwordStored, form.draft);
}

/** The stored password would be "kept" for a new destination: the user has to type the new server's one. */
export function needsPasswordForNewServer(form: FormState): boolean {
  return isNewPasswordDestination(form) && form.password.kind === 'keep';
}

/** The password change Save sends: Modern Authentication has no password to change. */
export function passwordToSend(form: FormState): PasswordChange {
  return usesPassword(form.draft) ? form.password : { kind: 'keep' };
}

export type Validation =
  | { readonly ok: true; readonly settings: SendDirectSettings }
  | { readonly ok: false; readonly errors: FieldMessages };

/** The shared schema decides, exactly as main will; an empty port is "no digits", not port 0. */
export function validateDraft(draft: SendDirectDraft): Validation {
  const port = draft.port.trim() === '' ? undefined : draft.port;
  const parsed = sendDirectSettingsSchema.safeParse({ ...draft, port });
  if (parsed.success) return { ok: true, settings: parsed.data };
  return { ok: false, errors: fieldErrorsOf(parsed.error) as FieldMessages };
}

/** Main answers with paths like `settings.serverName` or `password.value`: map them onto our fields. */
export function fieldMessagesFromServer(fieldErrors: Readonly<Record<string, string>> | undefined): FieldMessages {
  const messages: Partial<Record<MessageField, string>> = {};
  for (const [path, message] of Object.entries(fieldErrors ?? {})) {
    const [head, field] = path.split('.');
    if (head === 'settings' && field !== undefined && isDraftField(field)) messages[field] ??= message;
    else if (head === 'password') messages.password ??= message;
  }
  return messages;
}

const draftFields: readonly DraftField[] = ['serverName', 'senderName', 'senderAddress', 'userName', 'authMethod', 'port', 'security', 'allowInsecureAuth'];

function isDraftField(name: string): name is DraftField {
  return (draftFields as readonly string[]).includes(name);
}

export function isDirty(form: FormState): boolean {
  const initial = draftOf(form.saved.settings);
  return draftFields.some((field) => form.draft[field] !== initial[field]) || passwordToSend(form).kind !== 'keep';
}

/** The usual port for each kind of connection, applied only while the user has not typed a port. */
function portFor(security: SecurityMode, currentPort: string): string {
  const port = currentPort.trim();
  if (security === 'tls' && port === '587') return '465';
  if (security === 'starttls' && port === '465') return '587';
  return currentPort;
}

/**
 * Choosing Office 365 or Google fills in that provider's outgoing server when the Server Name is empty or
 * still another known provider's; the port and SSL follow unless the user typed a port.
 */
function withProviderServer(form: FormState, authMethod: AuthMethod): SendDirectDraft {
  const known = knownProviderServers[authMethod];
  const server = form.draft.serverName.trim().toLowerCase();
  const replaceable = server === '' || Object.values(knownProviderServers).some((other) => other.serverName === server);
  if (!known || !replaceable) return { ...form.draft, authMethod };
  return {
    ...form.draft,
    authMethod,
    serverName: known.serverName,
    ...(form.portTyped ? {} : { port: String(known.port), security: known.security }),
  };
}

/** All current messages of the form: the settings by the shared schema, and a typed password's length. */
function allMessages(form: FormState): FieldMessages {
  const result = validateDraft(form.draft);
  return { ...(result.ok ? {} : result.errors), ...passwordMessage(form) };
}

/** Re-checks the fields that show a message, plus `also`: the others stay quiet until left or saved. */
function recheck(form: FormState, also: readonly MessageField[] = []): FieldMessages {
  const fresh = allMessages(form);
  const checked: Partial<Record<MessageField, string>> = {};
  for (const field of [...(Object.keys(form.errors) as MessageField[]), ...also]) {
    const message = fresh[field];
    if (message !== undefined) checked[field] = message;
  }
  return checked;
}

function edited(form: FormState, draft: SendDirectDraft, portTyped: boolean): FormState {
  const next: FormState = { ...form, draft, portTyped, save: afterEdit(form.save) };
  return { ...next, errors: recheck(next) };
}

function changeForm(state: LoadState, change: (form: FormState) => FormState): LoadState {
  return state.kind === 'ready' ? { kind: 'ready', form: change(state.form) } : state;
}

export function sendDirectReducer(state: LoadState, action: Action): LoadState {
  switch (action.type) {
    case 'loaded':
      return { kind: 'ready', form: formOf(action.view, { kind: 'idle' }) };
    case 'loadFailed':
      return { kind: 'loadFailed', error: action.error };
    case 'reloading':
      return { kind: 'loading' };
    case 'edit':
      return changeForm(state, (form) => {
        // The allowance is for one server: another server or port has to be allowed again.
        const forgetsAllowance = action.field === 'serverName' || action.field === 'port';
        const draft = { ...form.draft, [action.field]: action.value, ...(forgetsAllowance ? { allowInsecureAuth: false } : {}) };
        return edited(form, draft, form.portTyped || action.field === 'port');
      });
    case 'chooseAuthMethod':
      return changeForm(state, (form) => edited(form, withProviderServer(form, action.value), form.portTyped));
    case 'chooseSecurity':
      return changeForm(state, (form) => {
        const port = form.portTyped ? form.draft.port : portFor(action.value, form.draft.port);
        // Choosing None never carries an earlier "yes" along: the box starts empty each time.
        return edited(form, { ...form.draft, security: action.value, port, allowInsecureAuth: false }, form.portTyped);
      });
    case 'setAllowInsecureAuth':
      return changeForm(state, (form) => edited(form, { ...form.draft, allowInsecureAuth: action.value && form.draft.security === 'none' }, form.portTyped));
    case 'blur':
      return changeForm(state, (form) => ({ ...form, errors: recheck(form, [action.field]) }));
    case 'typePassword':
      return changeForm(state, (form) => {
        const next: FormState = {
          ...form,
          password: typedPassword(action.value),
          save: afterEdit(form.save),
        };
        return { ...next, errors: recheck(next) };
      });
    case 'removePassword':
      return changeForm(state, (form) => ({ ...form, password: { kind: 'clear' }, save: afterEdit(form.save) }));
    case 'keepPassword':
      return changeForm(state, (form) => ({
        ...form,
        password: { kind: 'keep' },
        errors: withoutField(form.errors, 'password'),
        save: afterEdit(form.save),
      }));
    case 'openChangePassword':
      return changeForm(state, (form) => ({
        ...form,
        dialog: { kind: 'changePassword', ...emptyChangePasswordDraft },
      }));
    case 'editChangePassword':
      return changeForm(state, (form) => {
        if (form.dialog.kind !== 'changePassword') return form;
        return { ...form, dialog: { kind: 'changePassword', ...editChangePassword(form.dialog, action.field, action.value) } };
      });
    case 'confirmChangePassword':
      return changeForm(state, (form) => {
        if (form.dialog.kind !== 'changePassword') return form;
        const errors = changePasswordErrors(form.dialog);
        if (errors.newPassword !== undefined || errors.confirmPassword !== undefined) {
          return { ...form, dialog: { ...form.dialog, errors } };
        }
        return {
          ...form,
          password: { kind: 'set', value: form.dialog.newPassword },
          errors: withoutField(form.errors, 'password'),
          dialog: { kind: 'closed' },
          save: afterEdit(form.save),
        };
      });
    case 'closeDialog':
      return changeForm(state, (form) => ({ ...form, dialog: { kind: 'closed' } }));
    case 'saveRejectedLocally':
      return changeForm(state, (form) => ({ ...form, errors: action.errors, save: { kind: 'invalid' } }));
    case 'saving':
      return changeForm(state, (form) => ({ ...form, save: { kind: 'saving' } }));
    case 'saveSucceeded':
      return { kind: 'ready', form: formOf(action.view, { kind: 'saved' }) };
    case 'saveFailed':
      return changeForm(state, (form) => ({
        ...form,
        errors: { ...form.errors, ...fieldMessagesFromServer(action.error.fieldErrors) },
        save: { kind: 'failed', error: action.error },
      }));
    case 'discard':
      return changeForm(state, (form) => formOf(form.saved, { kind: 'idle' }));
    case 'signedIn':
      return changeForm(state, (form) =>
        form.draft.userName.trim() === '' ? edited(form, { ...form.draft, userName: action.username }, form.portTyped) : form,
      );
    case 'changedElsewhere':
      // Never throw away what the user is typing; a clean form simply shows the new values.
      return changeForm(state, (form) => (isDirty(form) || form.save.kind === 'saving' ? form : formOf(action.view, form.save)));
    default:
      return assertNever(action);
  }
}

function withoutField(errors: FieldMessages, field: MessageField): FieldMessages {
  const { [field]: _removed, ...rest } = errors;
  return rest;
}

/** A typed first password is checked like main will check it (length), on blur and on Save. */
function passwordMessage(form: FormState): FieldMessages {
  if (needsPasswordForNewServer(form)) return { password: passwordForNewServer };
  const message = passwordChangeMessage(passwordToSend(form));
  return message === undefined ? {} : { password: message };
}

/** The checks Save runs before anything is sent: the settings, and a typed password's length. */
export function validateForSave(form: FormState): Validation {
  const result = validateDraft(form.draft);
  const password = passwordMessage(form);
  if (result.ok && password.password === undefined) return result;
  return { ok: false, errors: allMessages(form) };
}
