import type { ReactNode } from 'react';
import { RequiredMark } from './Required';

/** What a field hands its control so that the label, hint and message are announced with it. */
export interface ControlProps {
  readonly id: string;
  readonly 'aria-invalid': boolean;
  readonly 'aria-describedby': string | undefined;
  readonly 'aria-required': true | undefined;
}

export interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  /** Save (or Send) refuses the form while this field is empty: marked with an asterisk and announced. */
  readonly required?: boolean | undefined;
  readonly children: (control: ControlProps) => ReactNode;
}

/** The ids of a field's hint and message, and what its control is described by. */
export function fieldDescription(id: string, hint: string | undefined, error: string | undefined) {
  // The message replaces the hint: one line under the field either way, and the message says what to do.
  const hintId = hint === undefined || error !== undefined ? undefined : `${id}-hint`;
  const errorId = error === undefined ? undefined : `${id}-error`;
  const describedBy = [errorId, hintId].filter((part) => part !== undefined).join(' ') || undefined;
  return { hintId, errorId, describedBy };
}

/** The line under a field: its problem when it has one, else its hint. */
export function FieldNotes({ id, hint, error }: Readonly<{ id: string; hint?: string | undefined; error?: string | undefined }>) {
  const { hintId, errorId } = fieldDescription(id, hint, error);
  return (
    <>
      {error !== undefined && (
        <p className="field__error" id={errorId}>
          <WarningIcon />
          <span>{error}</span>
        </p>
      )}
      {hintId !== undefined && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </>
  );
}

/** One labelled row of a settings dialog: label, control, then the hint or the problem under it. */
export function Field({ id, label, hint, error, required = false, children }: Readonly<FieldProps>) {
  const { describedBy } = fieldDescription(id, hint, error);
  return (
    <div className={error === undefined ? 'field' : 'field field--invalid'}>
      <div className="field__label">
        <label htmlFor={id}>{label}</label>
        {required && <RequiredMark />}
      </div>
      <div className="field__control">
        {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': describedBy, 'aria-required': required || undefined })}
        <FieldNotes id={id} hint={hint} error={error} />
      </div>
    </div>
  );
}

export interface TextFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly required?: boolean;
  readonly type?: 'text' | 'email' | 'password';
  readonly inputMode?: 'text' | 'email' | 'numeric';
  readonly autoComplete?: string;
  readonly placeholder?: string;
  readonly className?: string;
  /** Takes the keyboard when it appears (a field the user just asked for, like a rename). */
  readonly autoFocus?: boolean;
  readonly onChange: (value: string) => void;
  readonly onBlur?: () => void;
}

export function TextField({ type = 'text', inputMode, autoComplete = 'off', placeholder, className, autoFocus, value, onChange, onBlur, ...field }: Readonly<TextFieldProps>) {
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          className={className === undefined ? 'input' : `input ${className}`}
          type={type}
          inputMode={inputMode}
          autoComplete={autoComplete}
          spellCheck={false}
          placeholder={placeholder}
          autoFocus={autoFocus}
          value={value}
          onChange={(event) => onChange(event.currentTarget.value)}
          onBlur={onBlur}
        />
      )}
    </Field>
  );
}

export interface TextAreaFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly required?: boolean;
  readonly rows?: number;
  readonly onChange: (value: string) => void;
}

export function TextAreaField({ rows = 6, value, onChange, ...field }: Readonly<TextAreaFieldProps>) {
  return (
    <Field {...field}>
      {(control) => (
        <textarea {...control} className="input textarea" rows={rows} spellCheck={false} value={value} onChange={(event) => onChange(event.currentTarget.value)} />
      )}
    </Field>
  );
}

export interface CheckboxFieldProps {
  readonly id: string;
  readonly label: string;
  readonly checked: boolean;
  readonly hint?: string | undefined;
  readonly onChange: (checked: boolean) => void;
}

/** A checkbox with its label beside it, in the control column of a field row, and an optional hint under it. */
export function CheckboxField({ id, label, checked, hint, onChange }: Readonly<CheckboxFieldProps>) {
  const { describedBy } = fieldDescription(id, hint, undefined);
  const box = (
    <label className="checkbox" htmlFor={id}>
      <input id={id} type="checkbox" checked={checked} aria-describedby={describedBy} onChange={(event) => onChange(event.currentTarget.checked)} />
      <span>{label}</span>
    </label>
  );
  return (
    <div className="field field--checkbox">
      <span aria-hidden="true" />
      {hint === undefined ? (
        box
      ) : (
        <div className="field__control">
          {box}
          <FieldNotes id={id} hint={hint} />
        </div>
      )}
    </div>
  );
}

export function WarningIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M8 1.5 15 14H1L8 1.5Z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      <path d="M8 6v3.5" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      <circle cx="8" cy="11.75" r="0.9" fill="currentColor" />
    </svg>
  );
}

export function CheckIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="m3 8.5 3.2 3L13 4.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** The red cross of a failed check (seed 003: "a red cross will display if the connection has unsuccessful"). */
export function CrossIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="m5.5 5.5 5 5m0-5-5 5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

export function KeyIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="5" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 8h6.5M12 8v2.5M14.5 8v2" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}
