import { useEffect, type FormEvent, type ReactNode } from 'react';
import { Button } from '../components/Buttons';
import { TextField } from '../components/Field';
import { RequiredLegend } from '../components/Required';
import { ErrorBox } from '../components/StatusBox';
import { useModalDialog } from '../components/use-modal-dialog';
import { assertNever } from '../assert-never';
import type { AdminPromptState, AdminPurpose, CreateFirstField } from './admin-prompt-state';
import { setupKeyGroups } from './admin-prompt-state';
import { QrCode } from './QrCode';

export const twoFactorTitle = 'Set up two-factor authentication (2FA)';
export const adminSignInTitle = 'Administrator sign-in';
export const createFirstAdminTitle = 'Create the first administrator';
export const recoveryCodesTitle = 'Save these recovery codes';

export interface AdminPromptProps {
  readonly state: AdminPromptState;
  readonly onEdit: (field: CreateFirstField | 'code', value: string) => void;
  /** The step's form: create, password, or the security number. */
  readonly onSubmit: () => void;
  readonly onCodesSaved: () => void;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/**
 * The administrator's prompt (seeds 001 and 003), one modal dialog whose steps follow each other: create the
 * first administrator, set up 2FA, the recovery codes; or sign in with the password, then the security
 * number; then "Confirm you wish to proceed" when the action asks it. The container decides the step.
 */
export function AdminPrompt(props: Readonly<AdminPromptProps>) {
  const { state, onCancel } = props;
  const { dialogRef, cancel } = useModalDialog(onCancel);
  // Each step is read from its title, as the first one is (the dialog's own focus rule).
  const stepKind = state.step.kind;
  useEffect(() => {
    dialogRef.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [dialogRef, stepKind]);
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!state.busy) props.onSubmit();
  };
  // Keyed by step: each step is a new form, whose title takes the focus again.
  return (
    <dialog ref={dialogRef} className="modal admin-prompt" aria-labelledby="admin-prompt-title" onCancel={cancel}>
      <form key={state.step.kind} className="modal__form" noValidate onSubmit={submit}>
        <Step {...props} />
        {state.error !== null && (
          <div role="alert">
            <ErrorBox error={state.error} />
          </div>
        )}
      </form>
    </dialog>
  );
}

function Step({ state, onEdit, onCodesSaved, onConfirm, onCancel }: Readonly<AdminPromptProps>) {
  const { step, purpose, busy } = state;
  switch (step.kind) {
    case 'createFirst':
      return (
        <>
          <Title>{createFirstAdminTitle}</Title>
          <p className="modal__text">
            {purposeSentence(purpose)} No administrator exists yet: create the first one. You then set up two-factor authentication with an authenticator app on your phone.
          </p>
          <RequiredLegend />
          <div className="modal__fields">
            <TextField id="admin-email" label="Email" required type="email" inputMode="email" autoComplete="username" value={step.email} error={step.errors.email} onChange={(value) => onEdit('email', value)} />
            <TextField
              id="admin-password"
              label="Password"
              required
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters, not your email address or your name, and not one of the most common passwords. No symbols needed: a short sentence is easy to remember."
              value={step.password}
              error={step.errors.password}
              onChange={(value) => onEdit('password', value)}
            />
            <TextField
              id="admin-confirm-password"
              label="Confirm Password"
              required
              type="password"
              autoComplete="new-password"
              value={step.confirmPassword}
              error={step.errors.confirmPassword}
              onChange={(value) => onEdit('confirmPassword', value)}
            />
          </div>
          <Actions busy={busy} busyText="Creating…" submitText="Create administrator" onCancel={onCancel} />
        </>
      );
    case 'setUpTwoFactor':
      return (
        <>
          <Title>{twoFactorTitle}</Title>
          <p className="modal__text">
            Open your authenticator app (for example Microsoft Authenticator) on your phone and scan the QR code, or enter the setup key in the app. Then enter the security number the app shows and click Submit.
          </p>
          <div className="two-factor">
            <QrCode text={step.setup.otpauthUri} label={`QR code for ${step.setup.email} in Mail Settings, to scan with your authenticator app`} />
            <div className="two-factor__key">
              <p className="field__hint" id="admin-setup-key-label">
                Setup key for {step.setup.email}
              </p>
              <p className="setup-key" aria-labelledby="admin-setup-key-label" data-setup-key={step.setup.setupKey}>
                {setupKeyGroups(step.setup.setupKey).map((group, index) => (
                  <span key={index}>{group}</span>
                ))}
              </p>
            </div>
          </div>
          <CodeField value={step.code} error={step.codeError} onEdit={onEdit} />
          <Actions busy={busy} busyText="Checking…" submitText="Submit" onCancel={onCancel} />
        </>
      );
    case 'recoveryCodes':
      return (
        <>
          <Title>{recoveryCodesTitle}</Title>
          <p className="modal__text">
            Two-factor authentication is on. Save these recovery codes somewhere safe, away from your phone: each one signs you in once if you lose the authenticator app. They are shown only this once.
          </p>
          <ol className="recovery-codes" aria-label="Recovery codes">
            {step.codes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ol>
          <div className="modal__actions">
            <Button variant="primary" onClick={onCodesSaved}>
              Done
            </Button>
          </div>
        </>
      );
    case 'signIn':
      return (
        <>
          <Title>{adminSignInTitle}</Title>
          <p className="modal__text">{purposeSentence(purpose)} Sign in with your administrator email and password.</p>
          <RequiredLegend />
          <div className="modal__fields">
            <TextField id="admin-email" label="Email" required type="email" inputMode="email" autoComplete="username" value={step.email} error={step.errors.email} onChange={(value) => onEdit('email', value)} />
            <TextField id="admin-password" label="Password" required type="password" autoComplete="current-password" value={step.password} error={step.errors.password} onChange={(value) => onEdit('password', value)} />
          </div>
          <Actions busy={busy} busyText="Signing in…" submitText="Sign in" onCancel={onCancel} />
        </>
      );
    case 'code':
      return (
        <>
          <Title>{adminSignInTitle}</Title>
          <p className="modal__text">Enter the one-time security number from your authenticator app for {step.email}, or one of your recovery codes, and click Submit.</p>
          <CodeField value={step.code} error={step.codeError} onEdit={onEdit} />
          <Actions busy={busy} busyText="Checking…" submitText="Submit" onCancel={onCancel} />
        </>
      );
    case 'confirm':
      return (
        <>
          <Title>{purpose?.confirm?.title ?? adminSignInTitle}</Title>
          <p className="admin-prompt__who">Signed in as {step.email}</p>
          <p className="modal__text">{purpose?.confirm?.text} Confirm you wish to proceed.</p>
          <div className="modal__actions">
            <Button variant="primary" onClick={onConfirm}>
              {purpose?.confirm?.confirmLabel ?? 'Continue'}
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </div>
        </>
      );
    case 'done':
      return null;
    default:
      return assertNever(step);
  }
}

function purposeSentence(purpose: AdminPurpose | null): string {
  return purpose === null ? 'Administrators can change the inbox settings and reset mailbox counters.' : `${purpose.action} is for administrators.`;
}

function Title({ children }: Readonly<{ children: ReactNode }>) {
  return (
    <h2 className="modal__title" id="admin-prompt-title" tabIndex={-1} data-autofocus>
      {children}
    </h2>
  );
}

function CodeField({ value, error, onEdit }: Readonly<{ value: string; error: string | undefined; onEdit: AdminPromptProps['onEdit'] }>) {
  return (
    <div className="modal__fields">
      <TextField
        id="admin-code"
        label="Security number"
        required
        inputMode="numeric"
        autoComplete="one-time-code"
        className="input--code"
        hint="The 6 digits your authenticator app shows now for Mail Settings. A new number comes every 30 seconds."
        value={value}
        error={error}
        onChange={(code) => onEdit('code', code)}
      />
    </div>
  );
}

function Actions({ busy, busyText, submitText, onCancel }: Readonly<{ busy: boolean; busyText: string; submitText: string; onCancel: () => void }>) {
  return (
    <div className="modal__actions">
      <Button variant="primary" type="submit" disabled={busy}>
        {busy ? busyText : submitText}
      </Button>
      <Button onClick={onCancel}>Cancel</Button>
    </div>
  );
}
