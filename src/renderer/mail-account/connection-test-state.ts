import type { AccountStatus } from '../../shared/accounts';
import type { AppError, CertificateSummary } from '../../shared/errors';
import type { PasswordChange } from '../../shared/mail-server';
import { assertNever } from '../assert-never';

/**
 * Test Connection (seed 002) for any mail account: connect, secure the connection and sign in with the
 * values in the form, saved or not. A result belongs to the values it was run with (`key`): once the user
 * changes any of them, the result no longer describes the form and is not shown. `S` is what the section
 * tests with (Send Direct's settings, an inbox's): a certificate is trusted for the settings it was seen with.
 */

export type TrustState = { readonly kind: 'idle' } | { readonly kind: 'trusting' } | { readonly kind: 'failed'; readonly error: AppError };

export type ConnectionTestState<S> =
  | { readonly kind: 'idle' }
  | { readonly kind: 'testing'; readonly key: string }
  | { readonly kind: 'succeeded'; readonly key: string; readonly message: string }
  | { readonly kind: 'failed'; readonly key: string; readonly error: AppError; readonly settings: S; readonly trust: TrustState }
  /** "Trust this certificate" worked: the next Test Connection pins it. */
  | { readonly kind: 'trusted'; readonly key: string; readonly certificate: CertificateSummary };

/** What the panel shows; it never needs the settings a failure was seen with. */
export type ConnectionTestView = ConnectionTestState<unknown>;

export type ConnectionTestAction<S> =
  | { readonly type: 'started'; readonly key: string }
  | { readonly type: 'succeeded'; readonly key: string; readonly message: string }
  | { readonly type: 'failed'; readonly key: string; readonly error: AppError; readonly settings: S }
  | { readonly type: 'trustStarted' }
  | { readonly type: 'trusted'; readonly certificate: CertificateSummary }
  | { readonly type: 'trustFailed'; readonly error: AppError };

export const initialConnectionTestState: ConnectionTestState<never> = { kind: 'idle' };

export function connectionTestReducer<S>(state: ConnectionTestState<S>, action: ConnectionTestAction<S>): ConnectionTestState<S> {
  switch (action.type) {
    case 'started':
      return { kind: 'testing', key: action.key };
    case 'succeeded':
      return { kind: 'succeeded', key: action.key, message: action.message };
    case 'failed':
      return { kind: 'failed', key: action.key, error: action.error, settings: action.settings, trust: { kind: 'idle' } };
    case 'trustStarted':
      return state.kind === 'failed' ? { ...state, trust: { kind: 'trusting' } } : state;
    case 'trusted':
      return state.kind === 'failed' ? { kind: 'trusted', key: state.key, certificate: action.certificate } : state;
    case 'trustFailed':
      return state.kind === 'failed' ? { ...state, trust: { kind: 'failed', error: action.error } } : state;
    default:
      return assertNever(action);
  }
}

/** Whether Test Connection can run now, and with what; or, in the user's words, what is missing. */
export type ConnectionReadiness<S> =
  | { readonly ready: true; readonly key: string; readonly settings: S; readonly password: PasswordChange }
  | { readonly ready: false; readonly key: string; readonly reason: string };

export interface AccountSummary {
  readonly status: AccountStatus | null;
  readonly username: string | null;
}

/** What a section's form tells Test Connection about itself. */
export interface ConnectionFormFacts<S> {
  /** The form as typed: a result is shown only while it is unchanged. */
  readonly draft: unknown;
  /** The settings the shared schema read from the draft; null while a field is wrong or missing. */
  readonly settings: S | null;
  readonly usesPassword: boolean;
  /** The form names another server than the stored password's, and no new password was entered. */
  readonly needsPasswordForNewServer: boolean;
  /** The password change the test sends (Modern Authentication: keep). */
  readonly password: PasswordChange;
  readonly passwordStored: boolean;
  /** The mailbox's sign-in, for Modern Authentication. */
  readonly account: AccountSummary;
}

export function readinessOf<S>(form: ConnectionFormFacts<S>): ConnectionReadiness<S> {
  const { password, account } = form;
  // Everything the answer depends on: the fields, the password being tested, and for Modern
  // Authentication the account that signs in. Not the account's status: a test that finds the grant
  // revoked changes it, and its answer must stay on screen.
  const key = JSON.stringify({ draft: form.draft, password, account: form.usesPassword ? null : account.username });
  if (form.settings === null) return { ready: false, key, reason: 'Fill in the fields above first: Test Connection needs every required field, correctly filled in.' };
  if (form.usesPassword) {
    if (form.needsPasswordForNewServer) {
      return { ready: false, key, reason: 'Enter the password for the new server first: the stored password is only sent to the server it was saved for.' };
    }
    const hasPassword = password.kind === 'set' || (password.kind === 'keep' && form.passwordStored);
    if (!hasPassword) return { ready: false, key, reason: 'Enter the password first.' };
  } else if (account.status !== 'signed-in') {
    return {
      ready: false,
      key,
      reason: account.status === 'needs-reauth' ? 'Re-authenticate first: the sign-in for this mailbox is no longer valid.' : 'Sign in first, with the button above.',
    };
  }
  return { ready: true, key, settings: form.settings, password };
}

/** What the panel shows for the form as it is now: a result only if it was obtained with these values. */
export function connectionTestShown<S>(state: ConnectionTestState<S>, key: string): ConnectionTestState<S> {
  if (state.kind === 'idle' || state.kind === 'testing') return state;
  return state.key === key ? state : { kind: 'idle' };
}
