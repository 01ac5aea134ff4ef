import type { AppError } from '../../shared/errors';
import { assertNever } from '../assert-never';
import {
  changePasswordErrors,
  editChangePassword,
  emptyChangePasswordDraft,
  type ChangePasswordDraft,
  type ChangePasswordField,
} from '../mail-account/password-state';

/**
 * Seed 002's Change Password for an existing Email Integration credential: New Password, Confirm Password,
 * OK. Unlike a section's dialog, OK stores the password at once (main checks the pair again), so the
 * dialog also holds main's answer.
 */

export interface IntegrationPasswordState {
  readonly draft: ChangePasswordDraft;
  readonly busy: boolean;
  /** Main refused the change (not about one of the two fields). */
  readonly error: AppError | null;
}

export type IntegrationPasswordAction =
  /** The dialog opens: a fresh pair, nothing typed before stays in the page. */
  | { readonly type: 'opened' }
  | { readonly type: 'edit'; readonly field: ChangePasswordField; readonly value: string }
  /** OK with the pair wrong: the problems under the fields, nothing sent. */
  | { readonly type: 'rejectedLocally'; readonly errors: ChangePasswordDraft['errors'] }
  | { readonly type: 'started' }
  | { readonly type: 'refused'; readonly error: AppError };

export const initialIntegrationPasswordState: IntegrationPasswordState = { draft: emptyChangePasswordDraft, busy: false, error: null };

/** The pair's problems in words, or none: "The two passwords are not the same…". */
export function integrationPasswordErrors(state: IntegrationPasswordState): ChangePasswordDraft['errors'] {
  return changePasswordErrors(state.draft);
}

export function integrationPasswordReducer(state: IntegrationPasswordState, action: IntegrationPasswordAction): IntegrationPasswordState {
  switch (action.type) {
    case 'opened':
      return initialIntegrationPasswordState;
    case 'edit':
      return { ...state, draft: editChangePassword(state.draft, action.field, action.value), error: null };
    case 'rejectedLocally':
      return { ...state, draft: { ...state.draft, errors: action.errors } };
    case 'started':
      return { ...state, busy: true, error: null };
    case 'refused': {
      const fieldErrors = action.error.fieldErrors ?? {};
      const errors: ChangePasswordDraft['errors'] = {
        ...(fieldErrors['newPassword'] === undefined ? {} : { newPassword: fieldErrors['newPassword'] }),
        ...(fieldErrors['confirmPassword'] === undefined ? {} : { confirmPassword: fieldErrors['confirmPassword'] }),
      };
      const aboutFields = Object.keys(errors).length > 0;
      return { draft: { ...state.draft, errors: aboutFields ? errors : state.draft.errors }, busy: false, error: aboutFields ? null : action.error };
    }
    default:
      return assertNever(action);
  }
}
