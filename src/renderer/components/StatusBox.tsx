import type { ReactNode } from 'react';
import type { AppError } from '../../shared/errors';
import { CheckIcon, CrossIcon } from './Field';

export interface SuccessBoxProps {
  readonly children: ReactNode;
}

/** A green box: something worked (a connection, a sent message). */
export function SuccessBox({ children }: Readonly<SuccessBoxProps>) {
  return (
    <div className="result result--success">
      <CheckIcon />
      <div className="result__body">{children}</div>
    </div>
  );
}

export interface ErrorBoxProps {
  readonly error: AppError;
  /** More than the message and the fix: a certificate to inspect, a button to act on. */
  readonly children?: ReactNode;
}

/** A red box: what went wrong, in the user's words, and what to do about it. */
export function ErrorBox({ error, children }: Readonly<ErrorBoxProps>) {
  return (
    <div className="result result--error" data-error-code={error.code}>
      <CrossIcon />
      <div className="result__body">
        <p className="status__message">{error.message}</p>
        {error.fix !== undefined && <p className="status__fix">{error.fix}</p>}
        {children}
      </div>
    </div>
  );
}
