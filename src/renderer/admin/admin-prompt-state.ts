import type { z } from 'zod';
import { adminCodeSchema, adminEmailSchema, adminPasswordSchema, type AdminPasswordStep, type AdminStatus, type TwoFactorSetup } from '../../shared/admin';
import type { AppError } from '../../shared/errors';
import { ErrorCode } from '../../shared/errors';
import { assertNever } from '../assert-never';

/**
 * The administrator's prompt (issue 14; seeds 001 and 003) as pure state: which step shows, what was typed,
 * what main last refused. The container sends each step to main; this module decides what comes next.
 */

/** Seed 003's last step: "Confirm you wish to proceed", for an action that asks it (Reset Mailbox Counter). */
export interface AdminConfirmation {
  /** The dialog's title, the action's name: "Reset Mailbox Counter". */
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
}

/** Why the prompt opened: the action that needs an administrator, or null when the user asked to sign in. */
export interface AdminPurpose {
  /** What the administrator allows, to start a sentence: "Saving the Lead Inbox settings". */
  readonly action: string;
  readonly confirm: AdminConfirmation | null;
}

export type CreateFirstField = 'email' | 'password' | 'confirmPassword';
export type SignInField = 'email' | 'password';

export type AdminPromptStep =
  | {
      readonly kind: 'createFirst';
      readonly email: string;
      readonly password: string;
      readonly confirmPassword: string;
      readonly errors: Readonly<Partial<Record<CreateFirstField, string>>>;
    }
  | { readonly kind: 'setUpTwoFactor'; readonly setup: TwoFactorSetup; readonly code: string; readonly codeError: string | undefined }
  | { readonly kind: 'recoveryCodes'; readonly codes: readonly string[]; readonly email: string }
  | { readonly kind: 'signIn'; readonly email: string; readonly password: string; readonly errors: Readonly<Partial<Record<SignInField, string>>> }
  | { readonly kind: 'code'; readonly email: string; readonly code: string; readonly codeError: string | undefined }
  | { readonly kind: 'confirm'; readonly email: string }
  /** Signed in (and confirmed, when asked): the container lets the action go on and closes the prompt. */
  | { readonly kind: 'done' };

export interface AdminPromptState {
  readonly purpose: AdminPurpose | null;
  readonly step: AdminPromptStep;
  /** A step is with main: its button says so and does nothing meanwhile. */
  readonly busy: boolean;
  /** What main refused last (wrong code, locked out…), with its fix. */
  readonly error: AppError | null;
}

export type AdminPromptAction =
  | { readonly type: 'edit'; readonly field: CreateFirstField | 'code'; readonly value: string }
  | { readonly type: 'rejectedLocally'; readonly errors: Readonly<Partial<Record<CreateFirstField | 'code', string>>> }
  | { readonly type: 'started' }
  | { readonly type: 'failed'; readonly error: AppError }
  | { readonly type: 'firstCreated'; readonly setup: TwoFactorSetup }
  | { readonly type: 'passwordAccepted'; readonly next: AdminPasswordStep }
  | { readonly type: 'twoFactorEnabled'; readonly recoveryCodes: readonly string[]; readonly email: string }
  | { readonly type: 'codesSaved' }
  | { readonly type: 'signedIn'; readonly email: string }
  | { readonly type: 'confirmed' };

/**
 * The first step for this status: "Confirm you wish to proceed" pre-filled when an administrator is signed in
 * already (seed 003), the sign-in when administrators exist, else the creation of the first one.
 */
export function openAdminPrompt(purpose: AdminPurpose | null, status: AdminStatus): AdminPromptState {
  const step = ((): AdminPromptStep => {
    if (status.signedIn !== null) return purpose?.confirm ? { kind: 'confirm', email: status.signedIn.email } : { kind: 'done' };
    if (status.administratorsExist) return { kind: 'signIn', email: '', password: '', errors: {} };
    return { kind: 'createFirst', email: '', password: '', confirmPassword: '', errors: {} };
  })();
  return { purpose, step, busy: false, error: null };
}

/** After the administrator is signed in: the confirmation when the action asks one, else done. */
function afterSignIn(state: AdminPromptState, email: string): AdminPromptState {
  return { ...state, busy: false, error: null, step: state.purpose?.confirm ? { kind: 'confirm', email } : { kind: 'done' } };
}

export function adminPromptReducer(state: AdminPromptState, action: AdminPromptAction): AdminPromptState {
  const { step } = state;
  switch (action.type) {
    case 'edit':
      return { ...state, step: edited(step, action.field, action.value) };
    case 'rejectedLocally':
      return { ...state, error: null, step: withErrors(step, action.errors) };
    case 'started':
      return { ...state, busy: true, error: null };
    case 'failed':
      return failed(state, action.error);
    case 'firstCreated':
      return { ...state, busy: false, error: null, step: { kind: 'setUpTwoFactor', setup: action.setup, code: '', codeError: undefined } };
    case 'passwordAccepted':
      return {
        ...state,
        busy: false,
        error: null,
        step:
          action.next.next === 'code'
            ? { kind: 'code', email: action.next.email, code: '', codeError: undefined }
            : { kind: 'setUpTwoFactor', setup: action.next.setup, code: '', codeError: undefined },
      };
    case 'twoFactorEnabled':
      return { ...state, busy: false, error: null, step: { kind: 'recoveryCodes', codes: action.recoveryCodes, email: action.email } };
    case 'codesSaved':
      return step.kind === 'recoveryCodes' ? afterSignIn(state, step.email) : state;
    case 'signedIn':
      return afterSignIn(state, action.email);
    case 'confirmed':
      return { ...state, busy: false, error: null, step: { kind: 'done' } };
    default:
      return assertNever(action);
  }
}

function edited(step: AdminPromptStep, field: CreateFirstField | 'code', value: string): AdminPromptStep {
  switch (step.kind) {
    case 'createFirst':
      return field === 'code' ? step : { ...step, [field]: value, errors: { ...step.errors, [field]: undefined } };
    case 'signIn':
      return field === 'email' || field === 'password' ? { ...step, [field]: value, errors: { ...step.errors, [field]: undefined } } : step;
    case 'setUpTwoFactor':
    case 'code':
      return field === 'code' ? { ...step, code: value, codeError: undefined } : step;
    default:
      return step;
  }
}

function withErrors(step: AdminPromptStep, errors: Readonly<Partial<Record<CreateFirstField | 'code', string>>>): AdminPromptStep {
  switch (step.kind) {
    case 'createFirst':
      return { ...step, errors: { email: errors.email, password: errors.password, confirmPassword: errors.confirmPassword } };
    case 'signIn':
      return { ...step, errors: { email: errors.email, password: errors.password } };
    case 'setUpTwoFactor':
    case 'code':
      return { ...step, codeError: errors.code };
    default:
      return step;
  }
}

/**
 * Main's refusal, shown with its message and fix. A password main finds too weak is said under the
 * password field; a refused password or security number is cleared for the next try.
 */
function failed(state: AdminPromptState, error: AppError): AdminPromptState {
  const { step } = state;
  const fieldErrors = error.fieldErrors ?? {};
  switch (step.kind) {
    case 'createFirst':
      return {
        ...state,
        busy: false,
        error: error.code === ErrorCode.AdminPasswordWeak && fieldErrors['password'] !== undefined ? null : error,
        step: { ...step, errors: { email: fieldErrors['email'], password: fieldErrors['password'] } },
      };
    case 'code':
      // Locked out, or the password step forgotten (5 minutes): main wants the password again.
      if (error.code === ErrorCode.AdminLockedOut || error.code === ErrorCode.AdminCredentialsWrong) {
        return { ...state, busy: false, error, step: { kind: 'signIn', email: step.email, password: '', errors: {} } };
      }
      return { ...state, busy: false, error, step: { ...step, code: '' } };
    case 'setUpTwoFactor':
      return { ...state, busy: false, error, step: { ...step, code: '' } };
    case 'signIn':
      return { ...state, busy: false, error, step: { ...step, password: '' } };
    default:
      return { ...state, busy: false, error };
  }
}

/** The step's values checked as main will check them, or what to say under each field first. */
export type CheckedStep =
  /** `secret` is the password (create, sign in) or the security number (2FA set-up, sign-in code). */
  | { readonly ok: true; readonly email: string; readonly secret: string }
  | { readonly ok: false; readonly errors: Readonly<Partial<Record<CreateFirstField | 'code', string>>> };

export function checkAdminStep(step: AdminPromptStep): CheckedStep {
  switch (step.kind) {
    case 'createFirst': {
      const email = firstIssue(adminEmailSchema, step.email);
      const password = firstIssue(adminPasswordSchema, step.password);
      const confirmPassword =
        step.confirmPassword === '' ? 'Enter the password again.' : step.confirmPassword !== step.password ? 'The two passwords are not the same.' : undefined;
      if (email !== undefined || password !== undefined || confirmPassword !== undefined) return { ok: false, errors: { email, password, confirmPassword } };
      return { ok: true, email: step.email.trim(), secret: step.password };
    }
    case 'signIn': {
      const email = firstIssue(adminEmailSchema, step.email);
      const password = firstIssue(adminPasswordSchema, step.password);
      if (email !== undefined || password !== undefined) return { ok: false, errors: { email, password } };
      return { ok: true, email: step.email.trim(), secret: step.password };
    }
    case 'setUpTwoFactor':
    case 'code': {
      const code = firstIssue(adminCodeSchema, step.code);
      if (code !== undefined) return { ok: false, errors: { code } };
      const email = step.kind === 'code' ? step.email : step.setup.email;
      return { ok: true, email, secret: step.code.trim() };
    }
    default:
      return { ok: false, errors: {} };
  }
}

function firstIssue(schema: z.ZodType<string>, value: string): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

/** The otpauth URI's base32 secret in groups of four, as main gives it, split for reading aloud or typing. */
export function setupKeyGroups(setupKey: string): string[] {
  return setupKey.split(/\s+/).filter((group) => group !== '');
}
