import { fieldErrorsOf } from '../../shared/field-errors';
import { passwordChangeSchema, sameSecretDestination, type AuthMethod, type PasswordChange, type SecretDestination } from '../../shared/mail-server';

/**
 * The password of a mail account's form (Send Direct, an inbox): what Save asks of the keychain, the
 * Change Password dialog (seed 002), and the rule that a stored password goes only to the server it was
 * saved for. Pure functions the sections' reducers share.
 */

export interface ChangePasswordDraft {
  readonly newPassword: string;
  readonly confirmPassword: string;
  readonly errors: Readonly<Partial<Record<'newPassword' | 'confirmPassword', string>>>;
}

export type ChangePasswordField = 'newPassword' | 'confirmPassword';

export const emptyChangePasswordDraft: ChangePasswordDraft = { newPassword: '', confirmPassword: '', errors: {} };

/** The connection fields of a form as typed: the port is text until the schema reads it. */
export interface DraftDestination {
  readonly serverName: string;
  readonly userName: string;
  readonly authMethod: AuthMethod;
  readonly port: string;
}

/**
 * The form names another server, port, user or method than the stored password was saved for: main will
 * not send that password there (credential-guard.ts), so the form asks for the new server's password.
 */
export function isNewDestination(saved: SecretDestination | null, passwordStored: boolean, draft: DraftDestination): boolean {
  if (draft.authMethod !== 'password' || !passwordStored || saved === null) return false;
  return !sameSecretDestination(saved, { ...draft, port: Number(draft.port.trim()) });
}

/** A change typed into the plain password input: empty means "keep what is stored". */
export function typedPassword(value: string): PasswordChange {
  return value === '' ? { kind: 'keep' } : { kind: 'set', value };
}

/** A typed password's message, as main would give it (its length); undefined when it is fine or not typed. */
export function passwordChangeMessage(change: PasswordChange): string | undefined {
  if (change.kind !== 'set') return undefined;
  const parsed = passwordChangeSchema.safeParse(change);
  return parsed.success ? undefined : (fieldErrorsOf(parsed.error)['value'] ?? parsed.error.issues[0]?.message ?? '');
}

/** The Change Password dialog's rules (seed 002): a valid new password, entered twice the same. */
export function changePasswordErrors(draft: ChangePasswordDraft): ChangePasswordDraft['errors'] {
  const parsed = passwordChangeSchema.safeParse({ kind: 'set', value: draft.newPassword });
  if (!parsed.success) return { newPassword: fieldErrorsOf(parsed.error)['value'] ?? 'Enter the new password.' };
  if (draft.confirmPassword === '') return { confirmPassword: 'Enter the new password again to confirm it.' };
  if (draft.confirmPassword !== draft.newPassword) {
    return { confirmPassword: 'The two passwords are not the same. Enter the new password again in both fields.' };
  }
  return {};
}

/** The dialog's draft after an edit: the edited field's message goes, it is checked again on OK. */
export function editChangePassword(draft: ChangePasswordDraft, field: ChangePasswordField, value: string): ChangePasswordDraft {
  const { [field]: _fixed, ...otherErrors } = draft.errors;
  return { ...draft, [field]: value, errors: otherErrors };
}
