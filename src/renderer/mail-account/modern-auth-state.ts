import { providerOptionsSchema, type AccountState, type SignInVia } from '../../shared/accounts';
import { ErrorCode, type AppError, type Result } from '../../shared/errors';
import { isValidEmail } from '../../shared/address-validation';
import { fieldErrorsOf } from '../../shared/field-errors';
import type { AuthMethod } from '../../shared/mail-server';
import { assertNever } from '../assert-never';

/**
 * The Modern Authentication part of a mail account (seeds 000 and 003) as a reducer: what main last said of
 * the mailbox's sign-in, what the user is doing with it right now, and the optional provider settings.
 * Pure, so the container only wires it to the API and to main's events.
 */

/** The two providers the Authentication method offers. */
export type ModernProvider = 'office365' | 'google';

export function modernProviderOf(method: AuthMethod): ModernProvider | null {
  switch (method) {
    case 'password':
      return null;
    case 'oauth-office365':
      return 'office365';
    case 'oauth-google':
      return 'google';
    default:
      return assertNever(method);
  }
}

/** "Provider settings": an organisation's own app registration; empty fields use the installation's. */
export interface ProviderFields {
  readonly clientId: string;
  /** Office 365 only. */
  readonly tenant: string;
  /** Google only (a desktop client's "secret", which is not secret). */
  readonly clientSecret: string;
}
export type ProviderField = keyof ProviderFields;
export type ProviderFieldErrors = Readonly<Partial<Record<ProviderField, string>>>;

export type CopyState = { readonly kind: 'idle' } | { readonly kind: 'copied' } | { readonly kind: 'failed' };

export type Activity =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'signingIn';
      readonly provider: ModernProvider;
      /** The sign-in page's address, once main has it (signInProgress). */
      readonly url: string | null;
      readonly via: SignInVia;
      readonly copy: CopyState;
      /** The user clicked Cancel: the "cancelled" answer that follows is not news to them. */
      readonly cancelling: boolean;
    }
  | { readonly kind: 'resetting' };

export interface ModernAuthState {
  /** What main last said; null until it answered. */
  readonly account: AccountState | null;
  readonly loadError: AppError | null;
  readonly activity: Activity;
  /** Why the last sign-in or reset failed; cleared by the next attempt. */
  readonly failure: AppError | null;
  /** A check on focus that could not reach the provider: what is shown may be out of date. */
  readonly checkFailure: AppError | null;
  readonly providerFields: Readonly<Record<ModernProvider, ProviderFields>>;
  readonly providerErrors: ProviderFieldErrors;
  /** The "Provider settings" disclosure is open. */
  readonly providerSettingsOpen: boolean;
}

export type ModernAuthAction =
  | { readonly type: 'loaded'; readonly account: AccountState }
  | { readonly type: 'loadFailed'; readonly error: AppError }
  | { readonly type: 'reloading' }
  /** main's accountStateChanged event, or a check's answer. */
  | { readonly type: 'accountChanged'; readonly account: AccountState }
  | { readonly type: 'checkFailed'; readonly error: AppError }
  | { readonly type: 'signInStarted'; readonly provider: ModernProvider }
  | { readonly type: 'signInProgress'; readonly url: string; readonly via: SignInVia }
  | { readonly type: 'movedToBrowser' }
  | { readonly type: 'moveToBrowserFailed'; readonly error: AppError }
  | { readonly type: 'copied'; readonly ok: boolean }
  | { readonly type: 'cancelling' }
  | { readonly type: 'signInFinished'; readonly result: Result<AccountState> }
  | { readonly type: 'resetStarted' }
  | { readonly type: 'resetFinished'; readonly result: Result<AccountState> }
  | { readonly type: 'editProviderField'; readonly provider: ModernProvider; readonly field: ProviderField; readonly value: string }
  | { readonly type: 'providerRejected'; readonly errors: ProviderFieldErrors }
  | { readonly type: 'toggleProviderSettings' };

const emptyFields: ProviderFields = { clientId: '', tenant: '', clientSecret: '' };

export const initialModernAuthState: ModernAuthState = {
  account: null,
  loadError: null,
  activity: { kind: 'idle' },
  failure: null,
  checkFailure: null,
  providerFields: { office365: emptyFields, google: emptyFields },
  providerErrors: {},
  providerSettingsOpen: false,
};

export function modernAuthReducer(state: ModernAuthState, action: ModernAuthAction): ModernAuthState {
  switch (action.type) {
    case 'loaded':
      return { ...state, account: action.account, loadError: null };
    case 'loadFailed':
      return { ...state, loadError: action.error };
    case 'reloading':
      return { ...state, loadError: null };
    case 'accountChanged':
      return {
        ...state,
        account: action.account,
        loadError: null,
        checkFailure: null,
        // A sign-in that worked (here or in another window) answers the failure shown before it.
        failure: action.account.status === 'signed-in' ? null : state.failure,
      };
    case 'checkFailed':
      return { ...state, checkFailure: action.error };
    case 'signInStarted':
      return {
        ...state,
        failure: null,
        providerErrors: {},
        activity: { kind: 'signingIn', provider: action.provider, url: null, via: 'popup', copy: { kind: 'idle' }, cancelling: false },
      };
    case 'signInProgress':
      return state.activity.kind === 'signingIn' ? { ...state, activity: { ...state.activity, url: action.url, via: action.via } } : state;
    case 'movedToBrowser':
      return state.activity.kind === 'signingIn' ? { ...state, activity: { ...state.activity, via: 'browser' } } : state;
    case 'moveToBrowserFailed':
      return { ...state, failure: action.error };
    case 'copied':
      return state.activity.kind === 'signingIn'
        ? { ...state, activity: { ...state.activity, copy: action.ok ? { kind: 'copied' } : { kind: 'failed' } } }
        : state;
    case 'cancelling':
      return state.activity.kind === 'signingIn' ? { ...state, activity: { ...state.activity, cancelling: true } } : state;
    case 'signInFinished': {
      const cancelledByUser = state.activity.kind === 'signingIn' && state.activity.cancelling;
      if (action.result.ok) return { ...state, account: action.result.value, activity: { kind: 'idle' }, failure: null, checkFailure: null };
      const quiet = cancelledByUser && action.result.error.code === ErrorCode.SignInCancelled;
      return { ...state, activity: { kind: 'idle' }, failure: quiet ? null : action.result.error };
    }
    case 'resetStarted':
      return { ...state, activity: { kind: 'resetting' }, failure: null };
    case 'resetFinished':
      return action.result.ok
        ? { ...state, account: action.result.value, activity: { kind: 'idle' }, checkFailure: null }
        : { ...state, activity: { kind: 'idle' }, failure: action.result.error };
    case 'editProviderField': {
      const { [action.field]: _fixed, ...otherErrors } = state.providerErrors;
      return {
        ...state,
        providerErrors: otherErrors,
        providerFields: { ...state.providerFields, [action.provider]: { ...state.providerFields[action.provider], [action.field]: action.value } },
      };
    }
    case 'providerRejected':
      // The fields to correct are in the disclosure: open it.
      return { ...state, providerErrors: action.errors, providerSettingsOpen: true, failure: null };
    case 'toggleProviderSettings':
      return { ...state, providerSettingsOpen: !state.providerSettingsOpen };
    default:
      return assertNever(action);
  }
}

/** What the panel shows: one state at a time, derived from the reducer's state. */
export type ModernAuthView =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loadFailed'; readonly error: AppError }
  | {
      readonly kind: 'waiting';
      readonly provider: ModernProvider;
      readonly url: string | null;
      readonly via: SignInVia;
      readonly copy: CopyState;
      readonly cancelling: boolean;
    }
  | { readonly kind: 'resetting' }
  | { readonly kind: 'signedOut'; readonly failure: AppError | null }
  | { readonly kind: 'signedIn'; readonly account: AccountState; readonly failure: AppError | null; readonly checkFailure: AppError | null }
  | { readonly kind: 'needsReauth'; readonly account: AccountState; readonly reason: AppError; readonly failure: AppError | null };

const unknownReason: AppError = {
  code: ErrorCode.GrantExpired,
  message: 'The sign-in for this mailbox has expired or was revoked.',
  fix: 'Click “Re-authenticate Now” and sign in again.',
};

export function modernAuthViewOf(state: ModernAuthState): ModernAuthView {
  const { activity, account } = state;
  if (activity.kind === 'signingIn') {
    const { provider, url, via, copy, cancelling } = activity;
    return { kind: 'waiting', provider, url, via, copy, cancelling };
  }
  if (activity.kind === 'resetting') return { kind: 'resetting' };
  if (account === null) return state.loadError ? { kind: 'loadFailed', error: state.loadError } : { kind: 'loading' };
  switch (account.status) {
    case 'signed-out':
      return { kind: 'signedOut', failure: state.failure };
    case 'signed-in':
      return { kind: 'signedIn', account, failure: state.failure, checkFailure: state.checkFailure };
    case 'needs-reauth':
      return { kind: 'needsReauth', account, reason: account.reason ?? unknownReason, failure: state.failure };
    default:
      return assertNever(account.status);
  }
}

export type SignInRequest =
  | { readonly ok: true; readonly provider: { readonly kind: ModernProvider } & Partial<Record<'clientId' | 'tenant' | 'clientSecret' | 'loginHint', string>> }
  | { readonly ok: false; readonly errors: ProviderFieldErrors };

/**
 * The `provider` of a sign-in: the provider settings the user entered for this provider (empty ones are
 * left out, so the installation's defaults apply), checked with the contract's own schema, and the User
 * Name as the account to suggest, when it is an email address.
 */
export function signInRequestOf(provider: ModernProvider, fields: ProviderFields, userName: string): SignInRequest {
  const request: Record<string, string> = { kind: provider };
  const put = (name: string, value: string): void => {
    if (value.trim() !== '') request[name] = value.trim();
  };
  put('clientId', fields.clientId);
  if (provider === 'office365') put('tenant', fields.tenant);
  else put('clientSecret', fields.clientSecret);
  if (isValidEmail(userName.trim())) put('loginHint', userName);
  const parsed = providerOptionsSchema.safeParse(request);
  if (parsed.success) return { ok: true, provider: request as { kind: ModernProvider } };
  const errors = fieldErrorsOf(parsed.error);
  return { ok: false, errors: { clientId: errors['clientId'], tenant: errors['tenant'], clientSecret: errors['clientSecret'] } };
}

/** "just now", "5 minutes ago", "today at 14:05", or a local date and time. */
export function describeRefreshedAt(iso: string, now: Date): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return 'at an unknown time';
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const time = then.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (then.toDateString() === now.toDateString()) return `today at ${time}`;
  return then.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
