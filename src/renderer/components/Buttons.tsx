import type { ReactNode } from 'react';

export interface ButtonProps {
  readonly variant?: 'primary' | 'secondary' | 'link';
  readonly type?: 'button' | 'submit';
  readonly disabled?: boolean;
  readonly onClick?: () => void;
  readonly children: ReactNode;
}

/** The app's buttons: one look per role, so every dialog reads the same way. */
export function Button({ variant = 'secondary', type = 'button', disabled = false, onClick, children }: Readonly<ButtonProps>) {
  return (
    <button className={`button button--${variant}`} type={type} disabled={disabled} onClick={onClick}>
      {children}
    </button>
  );
}
