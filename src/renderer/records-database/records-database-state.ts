import type { AppError } from '../../shared/errors';
import type { RecordsDatabaseChoice, RecordsDatabaseForm, RecordsDatabaseSaved, RecordsDatabaseView } from '../../shared/records-database';
import { assertNever } from '../assert-never';

/**
 * The "Records database" dialog: the built-in database or a shared PostgreSQL one, Test and Save. The
 * password has its own field and is never shown back: main only says whether one is stored.
 */

export type RecordsDatabaseField = 'url' | 'password';

export interface RecordsDatabaseDraft {
  readonly choice: RecordsDatabaseChoice;
  readonly url: string;
  /** Empty: keep the stored password (if the address still names the same database). */
  readonly password: string;
  readonly errors: Readonly<Partial<Record<RecordsDatabaseField, string>>>;
}

export type RecordsDatabaseOutcome =
  | { readonly kind: 'tested'; readonly message: string }
  | { readonly kind: 'saved'; readonly message: string }
  | { readonly kind: 'failed'; readonly error: AppError };

export type RecordsDatabaseState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loadFailed'; readonly error: AppError }
  | {
      readonly kind: 'editing';
      readonly view: RecordsDatabaseView;
      readonly draft: RecordsDatabaseDraft;
      /** What main is doing for the dialog, if anything. */
      readonly busy: 'testing' | 'saving' | null;
      readonly outcome: RecordsDatabaseOutcome | null;
    };

export type RecordsDatabaseAction =
  | { readonly type: 'loaded'; readonly view: RecordsDatabaseView }
  | { readonly type: 'loadFailed'; readonly error: AppError }
  | { readonly type: 'chose'; readonly choice: RecordsDatabaseChoice }
  | { readonly type: 'edit'; readonly field: RecordsDatabaseField; readonly value: string }
  /** Test or Save with a field wrong: the problems under the fields, nothing sent. */
  | { readonly type: 'rejectedLocally'; readonly errors: RecordsDatabaseDraft['errors'] }
  | { readonly type: 'started'; readonly busy: 'testing' | 'saving' }
  | { readonly type: 'tested'; readonly message: string }
  | { readonly type: 'saved'; readonly saved: RecordsDatabaseSaved }
  | { readonly type: 'refused'; readonly error: AppError };

export const initialRecordsDatabaseState: RecordsDatabaseState = { kind: 'loading' };

function draftOf(view: RecordsDatabaseView): RecordsDatabaseDraft {
  return view.saved.choice === 'postgres' ? { choice: 'postgres', url: view.saved.url, password: '', errors: {} } : { choice: 'builtIn', url: '', password: '', errors: {} };
}

/** The request Test and Save send: an empty password field keeps the stored password. */
export function formOf(draft: RecordsDatabaseDraft): RecordsDatabaseForm {
  if (draft.choice === 'builtIn') return { choice: 'builtIn' };
  return { choice: 'postgres', url: draft.url.trim(), password: draft.password === '' ? { kind: 'keep' } : { kind: 'set', value: draft.password } };
}

/** What must be filled in before Test or Save: the address, for a shared database. */
export function draftErrors(draft: RecordsDatabaseDraft): RecordsDatabaseDraft['errors'] {
  if (draft.choice === 'postgres' && draft.url.trim() === '') return { url: 'Enter the address of the PostgreSQL database, for example postgres://crm@db.example.com:5432/mail_settings.' };
  return {};
}

/** Whether main stores a password for the saved shared database (so an empty field keeps it). */
export function passwordStored(view: RecordsDatabaseView): boolean {
  return view.saved.choice === 'postgres' && view.saved.passwordStored;
}

function fieldErrorsOf(error: AppError): RecordsDatabaseDraft['errors'] {
  const fields = error.fieldErrors ?? {};
  return {
    ...(fields['url'] === undefined ? {} : { url: fields['url'] }),
    ...(fields['password'] === undefined ? {} : { password: fields['password'] }),
  };
}

export function recordsDatabaseReducer(state: RecordsDatabaseState, action: RecordsDatabaseAction): RecordsDatabaseState {
  switch (action.type) {
    case 'loaded':
      return { kind: 'editing', view: action.view, draft: draftOf(action.view), busy: null, outcome: null };
    case 'loadFailed':
      return { kind: 'loadFailed', error: action.error };
    default:
      return state.kind === 'editing' ? editing(state, action) : state;
  }
}

function editing(state: Extract<RecordsDatabaseState, { kind: 'editing' }>, action: Exclude<RecordsDatabaseAction, { type: 'loaded' | 'loadFailed' }>): RecordsDatabaseState {
  switch (action.type) {
    case 'chose':
      return { ...state, draft: { ...state.draft, choice: action.choice, errors: {} }, outcome: null };
    case 'edit':
      // Main's refusal is about the address and the password together (a wrong password is said on the
      // address): a change to either answers it. Test and Save check the address again.
      return { ...state, draft: { ...state.draft, [action.field]: action.value, errors: {} }, outcome: null };
    case 'rejectedLocally':
      return { ...state, draft: { ...state.draft, errors: action.errors }, outcome: null };
    case 'started':
      return { ...state, busy: action.busy, outcome: null };
    case 'tested':
      return { ...state, busy: null, outcome: { kind: 'tested', message: action.message } };
    case 'saved': {
      const { message, ...view } = action.saved;
      // The typed password is in the keychain now: nothing of it stays in the page.
      return { kind: 'editing', view, draft: draftOf(view), busy: null, outcome: { kind: 'saved', message } };
    }
    case 'refused':
      return { ...state, busy: null, draft: { ...state.draft, errors: fieldErrorsOf(action.error) }, outcome: { kind: 'failed', error: action.error } };
    default:
      return assertNever(action);
  }
}
