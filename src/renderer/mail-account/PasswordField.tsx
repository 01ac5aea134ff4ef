import { useRef, type Ref } from 'react';
import type { PasswordChange } from '../../shared/mail-server';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { Field, KeyIcon } from '../components/Field';
import { useFocusFallback } from '../components/use-focus-fallback';

export interface PasswordFieldProps {
  readonly id: string;
  readonly label: string;
  /** Main says a password is in the keychain; the renderer never learns the password itself. */
  readonly passwordStored: boolean;
  /**
   * The server the stored password was saved for, when the form now names another destination: the
   * stored password is not sent there, so the field asks for the new server's password.
   */
  readonly storedForServer: string | null;
  readonly change: PasswordChange;
  readonly error?: string | undefined;
  readonly onType: (value: string) => void;
  readonly onBlur: () => void;
  readonly onChangePassword: () => void;
  readonly onRemovePassword: () => void;
  readonly onKeepPassword: () => void;
}

const storedPlaceholder = '•••••••• (stored in the keychain)';

/**
 * The password row. With nothing stored it is a plain password input. With a password stored, the input
 * stays empty (the value never reaches the page) and a new one is entered twice in the Change Password
 * dialog, as in seed 002.
 */
export function PasswordField(props: Readonly<PasswordFieldProps>) {
  const { id, label, passwordStored, storedForServer, change, error } = props;
  const row = useRef<HTMLDivElement>(null);
  // Remove turns into Undo and Undo back into Remove: the keyboard follows the button that replaced the one pressed.
  const replacement = useRef<HTMLButtonElement>(null);
  useFocusFallback(row, replacement, change.kind);
  if (!passwordStored || storedForServer !== null) {
    const hint =
      storedForServer === null
        ? 'Kept in your system keychain, never in a settings file.'
        : `Enter the password for the new server. The stored password is only ever sent to ${storedForServer}; Save replaces it.`;
    return (
      <Field id={id} label={label} error={error} hint={hint} required={storedForServer !== null}>
        {(control) => (
          <input
            {...control}
            className="input"
            type="password"
            autoComplete="new-password"
            value={change.kind === 'set' ? change.value : ''}
            onChange={(event) => props.onType(event.currentTarget.value)}
            onBlur={props.onBlur}
          />
        )}
      </Field>
    );
  }
  const { placeholder, hint } = storedRow(change);
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(control) => (
        <div className="password-row" ref={row}>
          <div className="input-with-icon">
            <KeyIcon />
            {/* Read-only and empty: focusable and announced with its label, but there is nothing to read. */}
            <input {...control} className="input input--stored" type="password" readOnly value="" placeholder={placeholder} />
          </div>
          <StoredPasswordActions {...props} ref={replacement} />
        </div>
      )}
    </Field>
  );
}

/** The stored row's placeholder and the hint under it, for what will happen to the password on Save. */
function storedRow(change: PasswordChange): { readonly placeholder: string; readonly hint: string | undefined } {
  switch (change.kind) {
    case 'keep':
      return { placeholder: storedPlaceholder, hint: undefined };
    case 'set':
      return { placeholder: '•••••••• (new password)', hint: 'New password entered. It replaces the stored one in the keychain when you click Save.' };
    case 'clear':
      return { placeholder: 'No password', hint: 'The stored password is removed from the keychain when you click Save.' };
    default:
      return assertNever(change);
  }
}

/**
 * Change password, and Remove or Undo. `ref` goes on Remove or Undo, which replace each other and so take
 * over the keyboard from the one pressed. Keys: "Change password" stays the same button from state to
 * state; Remove and Undo are new ones.
 */
function StoredPasswordActions({ change, onChangePassword, onRemovePassword, onKeepPassword, ref }: Readonly<PasswordFieldProps & { ref: Ref<HTMLButtonElement> }>) {
  return (
    <div className="password-row__actions">
      {change.kind !== 'clear' && (
        <Button key="change" onClick={onChangePassword}>
          Change password
        </Button>
      )}
      {change.kind === 'keep' ? (
        <Button key="remove" variant="link" onClick={onRemovePassword} ref={ref}>
          Remove
        </Button>
      ) : (
        <Button key="undo" variant="link" onClick={onKeepPassword} ref={ref}>
          Undo
        </Button>
      )}
    </div>
  );
}
