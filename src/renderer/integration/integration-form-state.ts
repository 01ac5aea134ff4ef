import type { AccountStatus } from '../../shared/accounts';
import type { AppError } from '../../shared/errors';
import { fieldErrorsOf } from '../../shared/field-errors';
import {
  defaultIntegrationPort,
  integrationLabels,
  integrationSettingsSchema,
  type IntegrationCredentialView,
  type IntegrationSettings,
} from '../../shared/integration';
import { sameSecretDestination, type AuthMethod, type PasswordChange } from '../../shared/mail-server';
import { assertNever } from '../assert-never';
import { afterEdit, type SaveState } from '../mail-account/save-state';

/**
 * The New Email Integration form and an added mailbox's Details (seed 002) as pure state: the fields as
 * typed, which ones the user has left (their problems show from then on), Save and Test Connection. A
 * Test Connection result belongs to the values it ran with: any edit, or a new password, hides it.
 */

export type IntegrationField = keyof typeof integrationLabels;

export interface IntegrationDraft {
  readonly mailbox: string;
  /** New Email Integration only: an existing credential's password is hidden (Change Password sets it). */
  readonly password: string;
  readonly host: string;
  /** As typed: the schema reads the number. */
  readonly port: string;
  readonly secure: boolean;
  readonly configurationName: string;
  readonly description: string;
  readonly authMethod: AuthMethod;
}

export type IntegrationFormMode =
  | { readonly kind: 'new' }
  | { readonly kind: 'existing'; readonly id: string; readonly saved: IntegrationSettings; readonly hasPassword: boolean };

export type IntegrationTestState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'testing'; readonly key: string }
  | { readonly kind: 'succeeded'; readonly key: string; readonly message: string }
  | { readonly kind: 'failed'; readonly key: string; readonly error: AppError };

export interface IntegrationFormState {
  readonly mode: IntegrationFormMode;
  readonly draft: IntegrationDraft;
  /** Fields the user has left once: their problems are shown. */
  readonly touched: readonly IntegrationField[];
  /** Save was pressed: every problem is shown. */
  readonly showAllErrors: boolean;
  /** What main refused on the last Save, per field. */
  readonly serverErrors: Readonly<Partial<Record<IntegrationField, string>>>;
  readonly save: SaveState;
  readonly test: IntegrationTestState;
  /** Counts the passwords set with Change Password: a result obtained before one no longer describes the mailbox. */
  readonly passwordGeneration: number;
  /** "Password changed…": what the last Change Password did. */
  readonly notice: string | null;
}

export type IntegrationFormAction =
  | { readonly type: 'edit'; readonly field: IntegrationField; readonly value: string | boolean }
  | { readonly type: 'leave'; readonly field: IntegrationField }
  | { readonly type: 'saveStarted' }
  | { readonly type: 'saveRejectedLocally' }
  | { readonly type: 'saved'; readonly view: IntegrationCredentialView }
  | { readonly type: 'saveFailed'; readonly error: AppError }
  | { readonly type: 'testStarted'; readonly key: string }
  | { readonly type: 'testSucceeded'; readonly key: string; readonly message: string }
  | { readonly type: 'testFailed'; readonly key: string; readonly error: AppError }
  | { readonly type: 'passwordChanged'; readonly view: IntegrationCredentialView };

export const emptyIntegrationDraft: IntegrationDraft = {
  mailbox: '',
  password: '',
  host: '',
  port: String(defaultIntegrationPort),
  secure: true,
  configurationName: '',
  description: '',
  authMethod: 'password',
};

export function draftOf(settings: IntegrationSettings): IntegrationDraft {
  return { ...settings, port: String(settings.port), password: '' };
}

function freshState(mode: IntegrationFormMode, draft: IntegrationDraft): IntegrationFormState {
  return { mode, draft, touched: [], showAllErrors: false, serverErrors: {}, save: { kind: 'idle' }, test: { kind: 'idle' }, passwordGeneration: 0, notice: null };
}

export function newIntegrationForm(): IntegrationFormState {
  return freshState({ kind: 'new' }, emptyIntegrationDraft);
}

/** Details of an added mailbox; null for a built-in one (edited in its own dialog). */
export function existingIntegrationForm(view: IntegrationCredentialView): IntegrationFormState | null {
  if (view.settings === null) return null;
  return freshState({ kind: 'existing', id: view.id, saved: view.settings, hasPassword: view.hasPassword }, draftOf(view.settings));
}

/** A password sign-in: the form asks for a password (New) or offers Change Password (Details). */
export function usesPassword(draft: IntegrationDraft): boolean {
  return draft.authMethod === 'password';
}

export interface CheckedDraft {
  /** The settings main will get; null while any field is wrong or missing. */
  readonly settings: IntegrationSettings | null;
  /** One sentence per field that is wrong or missing. */
  readonly errors: Readonly<Partial<Record<IntegrationField, string>>>;
}

/** The draft read by the shared schema (the one main checks with), plus the password a new mailbox needs. */
export function checkIntegrationDraft(mode: IntegrationFormMode, draft: IntegrationDraft): CheckedDraft {
  const { password, ...settingsDraft } = draft;
  const parsed = integrationSettingsSchema.safeParse(settingsDraft);
  const errors: Partial<Record<IntegrationField, string>> = parsed.success ? {} : (fieldErrorsOf(parsed.error) as Partial<Record<IntegrationField, string>>);
  // An empty port would be read as 0 ("between 1 and 65535"): say what is missing instead.
  if (draft.port.trim() === '') errors.port = 'Enter the port. Most IMAP providers use 993.';
  if (mode.kind === 'new' && usesPassword(draft)) {
    if (password === '') errors.password = 'Enter the mailbox’s password.';
    else if (password.length > 1024) errors.password = 'The password is too long: keep it under 1024 characters.';
  }
  const valid = parsed.success && Object.keys(errors).length === 0;
  return { settings: valid ? parsed.data : null, errors };
}

/** The problems to show now: those of the fields left once (all after Save), then main's. */
export function shownIntegrationErrors(state: IntegrationFormState): Readonly<Partial<Record<IntegrationField, string>>> {
  const { errors } = checkIntegrationDraft(state.mode, state.draft);
  const shown: Partial<Record<IntegrationField, string>> = {};
  for (const [field, message] of Object.entries(errors) as [IntegrationField, string][]) {
    if (state.showAllErrors || state.touched.includes(field)) shown[field] = message;
  }
  return { ...state.serverErrors, ...shown };
}

/** The labels of the fields still wrong or missing, in the form's order. */
function missingLabels(errors: Readonly<Partial<Record<IntegrationField, string>>>): string[] {
  return (Object.keys(integrationLabels) as IntegrationField[]).filter((field) => errors[field] !== undefined).map((field) => integrationLabels[field]);
}

/** Details: the form names another mailbox, host, port or method than the stored password was saved for. */
export function destinationChanged(state: IntegrationFormState, settings: IntegrationSettings | null): boolean {
  if (state.mode.kind !== 'existing' || settings === null) return false;
  const { saved } = state.mode;
  return !sameSecretDestination(
    { serverName: saved.host, port: saved.port, userName: saved.mailbox, authMethod: saved.authMethod },
    { serverName: settings.host, port: settings.port, userName: settings.mailbox, authMethod: settings.authMethod },
  );
}

export type IntegrationTestReadiness =
  | { readonly ready: true; readonly key: string; readonly settings: IntegrationSettings; readonly password: PasswordChange; readonly id: string | null }
  | { readonly ready: false; readonly key: string; readonly reason: string };

/** The mailbox's Modern Authentication sign-in as the form knows it (null while not loaded). */
export interface IntegrationSignIn {
  readonly status: AccountStatus | null;
  readonly username: string | null;
}

/**
 * Seed 002: "Test Connection is disabled until all required fields are completed". When it is, the reason
 * names what is missing; in Details, the stored password is only sent where it was saved for. On Modern
 * Authentication, the sign-in belongs to the saved mailbox: Save first, then sign in, then test.
 */
export function integrationTestReadiness(state: IntegrationFormState, signIn: IntegrationSignIn = { status: null, username: null }): IntegrationTestReadiness {
  const key = JSON.stringify({ draft: state.draft, generation: state.passwordGeneration, signedInAs: usesPassword(state.draft) ? null : signIn.username });
  const { settings, errors } = checkIntegrationDraft(state.mode, state.draft);
  if (settings === null) {
    const missing = missingLabels(errors);
    return { ready: false, key, reason: `Complete ${joinLabels(missing)} first: Test Connection needs every required field, correctly filled in.` };
  }
  if (!usesPassword(state.draft)) {
    if (state.mode.kind === 'new' || state.mode.saved.authMethod !== state.draft.authMethod) {
      return { ready: false, key, reason: 'Save first, then sign in with Modern Authentication: Test Connection uses the saved mailbox’s own sign-in.' };
    }
    if (signIn.status !== 'signed-in') return { ready: false, key, reason: 'Click “Sign in using Modern Authentication…” first: Test Connection uses that sign-in.' };
    return { ready: true, key, settings, password: { kind: 'keep' }, id: state.mode.id };
  }
  if (state.mode.kind === 'new') return { ready: true, key, settings, password: { kind: 'set', value: state.draft.password }, id: null };
  if (usesPassword(state.draft)) {
    if (destinationChanged(state, settings)) {
      return {
        ready: false,
        key,
        reason: 'Save first, then use Change Password: the stored password is only sent to the mailbox, host and port it was saved for.',
      };
    }
    if (!state.mode.hasPassword) return { ready: false, key, reason: 'Use Change Password first: no password is stored for this mailbox.' };
  }
  return { ready: true, key, settings, password: { kind: 'keep' }, id: state.mode.id };
}

function joinLabels(labels: readonly string[]): string {
  if (labels.length <= 1) return labels[0] ?? 'the fields';
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''}`;
}

/** The result shown for the form as it is now: only one obtained with these values. */
export function shownIntegrationTest(state: IntegrationFormState, key: string): IntegrationTestState {
  if (state.test.kind === 'idle' || state.test.kind === 'testing') return state.test;
  return state.test.key === key ? state.test : { kind: 'idle' };
}

/** Something differs from what is saved (Details) or from the empty form (New). */
export function isIntegrationDirty(state: IntegrationFormState): boolean {
  const base = state.mode.kind === 'existing' ? draftOf(state.mode.saved) : emptyIntegrationDraft;
  return (Object.keys(base) as (keyof IntegrationDraft)[]).some((field) => normalised(base[field]) !== normalised(state.draft[field]));
}

function normalised(value: string | boolean): string | boolean {
  return typeof value === 'string' ? value.trim() : value;
}

function editedDraft(draft: IntegrationDraft, field: IntegrationField, value: string | boolean): IntegrationDraft {
  if (field === 'secure') return typeof value === 'boolean' ? { ...draft, secure: value } : draft;
  if (typeof value !== 'string') return draft;
  if (field === 'authMethod') {
    const method = value as AuthMethod;
    return { ...draft, authMethod: method, password: method === 'password' ? draft.password : '' };
  }
  return { ...draft, [field]: value };
}

export function integrationFormReducer(state: IntegrationFormState, action: IntegrationFormAction): IntegrationFormState {
  switch (action.type) {
    case 'edit': {
      const { [action.field]: _fixed, ...otherServerErrors } = state.serverErrors;
      return { ...state, draft: editedDraft(state.draft, action.field, action.value), serverErrors: otherServerErrors, save: afterEdit(state.save) };
    }
    case 'leave':
      return state.touched.includes(action.field) ? state : { ...state, touched: [...state.touched, action.field] };
    case 'saveStarted':
      return { ...state, save: { kind: 'saving' }, showAllErrors: true };
    case 'saveRejectedLocally':
      return { ...state, save: { kind: 'invalid' }, showAllErrors: true };
    case 'saved': {
      const next = existingIntegrationForm(action.view);
      // What main saved is what the form shows now (an address in lower case, trimmed fields).
      return next === null ? state : { ...next, save: { kind: 'saved' }, test: state.test, passwordGeneration: state.passwordGeneration };
    }
    case 'saveFailed': {
      const fieldErrors = (action.error.fieldErrors ?? {}) as Partial<Record<string, string>>;
      const serverErrors: Partial<Record<IntegrationField, string>> = {};
      for (const field of Object.keys(integrationLabels) as IntegrationField[]) {
        const message = fieldErrors[field] ?? fieldErrors[`settings.${field}`];
        if (message !== undefined) serverErrors[field] = message;
      }
      return { ...state, save: { kind: 'failed', error: action.error }, serverErrors };
    }
    case 'testStarted':
      return { ...state, test: { kind: 'testing', key: action.key } };
    case 'testSucceeded':
      return { ...state, test: { kind: 'succeeded', key: action.key, message: action.message } };
    case 'testFailed':
      return { ...state, test: { kind: 'failed', key: action.key, error: action.error } };
    case 'passwordChanged': {
      if (state.mode.kind !== 'existing') return state;
      return {
        ...state,
        mode: { ...state.mode, hasPassword: action.view.hasPassword },
        passwordGeneration: state.passwordGeneration + 1,
        test: { kind: 'idle' },
        notice: 'Password changed. Click Test Connection to check that the mail server accepts it.',
      };
    }
    default:
      return assertNever(action);
  }
}
