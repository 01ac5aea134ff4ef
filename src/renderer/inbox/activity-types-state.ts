import type { AppError } from '../../shared/errors';
import type { ActivityTypeView } from '../../shared/inbox';
import { assertNever } from '../assert-never';

/**
 * The Type manager (the gear beside RECORD CREATION's Type): the activity types main keeps, a new type's
 * name, the one being renamed, and what main answered to the last change. Each change answers the whole
 * new list. A type records use is retired (kept for them, no longer offered), never deleted.
 */

export type TypesList =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loadFailed'; readonly error: AppError }
  | { readonly kind: 'loaded'; readonly types: readonly ActivityTypeView[] };

/** What the user is doing in the manager right now: one change at a time. */
export type TypesEdit =
  | { readonly kind: 'idle' }
  | { readonly kind: 'renaming'; readonly id: number; readonly name: string; readonly error: string | null }
  /** A change is with main; `id` is the type it is about (null: adding). */
  | { readonly kind: 'busy'; readonly id: number | null };

export interface ActivityTypesState {
  readonly list: TypesList;
  /** The "New type" field. */
  readonly newName: string;
  readonly newNameError: string | null;
  readonly edit: TypesEdit;
  /** Why the last change was refused, when it is not about a name field. */
  readonly failure: AppError | null;
}

export type ActivityTypesAction =
  | { readonly type: 'loaded'; readonly types: readonly ActivityTypeView[] }
  | { readonly type: 'loadFailed'; readonly error: AppError }
  | { readonly type: 'editNewName'; readonly value: string }
  | { readonly type: 'startRename'; readonly id: number }
  | { readonly type: 'editRename'; readonly value: string }
  | { readonly type: 'cancelRename' }
  | { readonly type: 'changeStarted'; readonly id: number | null }
  /** Main's answer to add, rename or retire: the new list. */
  | { readonly type: 'changed'; readonly types: readonly ActivityTypeView[]; readonly added: boolean }
  | { readonly type: 'changeRefused'; readonly error: AppError; readonly renaming: { readonly id: number; readonly name: string } | null };

export const initialActivityTypesState: ActivityTypesState = {
  list: { kind: 'loading' },
  newName: '',
  newNameError: null,
  edit: { kind: 'idle' },
  failure: null,
};

export function activityTypesReducer(state: ActivityTypesState, action: ActivityTypesAction): ActivityTypesState {
  switch (action.type) {
    case 'loaded':
      return { ...state, list: { kind: 'loaded', types: action.types } };
    case 'loadFailed':
      return { ...state, list: { kind: 'loadFailed', error: action.error } };
    case 'editNewName':
      return { ...state, newName: action.value, newNameError: null };
    case 'startRename': {
      const type = typesOf(state).find((candidate) => candidate.id === action.id);
      return type === undefined ? state : { ...state, edit: { kind: 'renaming', id: type.id, name: type.name, error: null }, failure: null };
    }
    case 'editRename':
      return state.edit.kind === 'renaming' ? { ...state, edit: { ...state.edit, name: action.value, error: null } } : state;
    case 'cancelRename':
      return state.edit.kind === 'renaming' ? { ...state, edit: { kind: 'idle' } } : state;
    case 'changeStarted':
      return { ...state, edit: { kind: 'busy', id: action.id }, failure: null };
    case 'changed':
      return {
        ...state,
        list: { kind: 'loaded', types: action.types },
        edit: { kind: 'idle' },
        failure: null,
        ...(action.added ? { newName: '', newNameError: null } : {}),
      };
    case 'changeRefused': {
      const message = action.error.fieldErrors?.['name'];
      if (action.renaming !== null) {
        // The rename row comes back with what was typed, and the reason under it.
        const error = message ?? action.error.message;
        return { ...state, edit: { kind: 'renaming', id: action.renaming.id, name: action.renaming.name, error }, failure: null };
      }
      if (message !== undefined && state.edit.kind === 'busy' && state.edit.id === null) {
        return { ...state, edit: { kind: 'idle' }, newNameError: message, failure: null };
      }
      return { ...state, edit: { kind: 'idle' }, failure: action.error };
    }
    default:
      return assertNever(action);
  }
}

export function typesOf(state: ActivityTypesState): readonly ActivityTypeView[] {
  return state.list.kind === 'loaded' ? state.list.types : [];
}

/**
 * The Type dropdown's options: the types offered for new records, plus the one the form has chosen when
 * it is retired or not known (yet), so the dropdown always shows what Save will store.
 */
export function recordTypeOptions(types: readonly ActivityTypeView[], chosen: string): readonly { readonly value: string; readonly label: string }[] {
  const offered = types.filter((type) => !type.retired).map((type) => ({ value: type.name, label: type.name }));
  if (chosen === '' || offered.some((option) => option.value === chosen)) return offered;
  const retired = types.some((type) => type.retired && type.name === chosen);
  return [...offered, { value: chosen, label: retired ? `${chosen} (retired)` : chosen }];
}
