import type { MouseEvent, ReactNode, Ref } from 'react';

export interface ButtonProps {
  readonly variant?: 'primary' | 'secondary' | 'link';
  readonly type?: 'button' | 'submit';
  /** Shown and announced as unavailable, but kept focusable: see the component's comment. */
  readonly disabled?: boolean;
  /** The id of the text that explains the button, and why it is unavailable when it is. */
  readonly describedBy?: string | undefined;
  readonly onClick?: () => void;
  readonly ref?: Ref<HTMLButtonElement>;
  readonly children: ReactNode;
}

/**
 * The app's buttons: one look per role, so every dialog reads the same way.
 *
 * An unavailable button is `aria-disabled`, not `disabled`: a disabled button drops the keyboard focus to
 * the page (a button that turns into "Saving…" would send the user back to the top, WCAG 2.4.3 Focus
 * Order), and cannot be reached with Tab at all, so its reason cannot be heard (WCAG 4.1.2 Name, Role,
 * Value). The click does nothing meanwhile, a submit included.
 */
export function Button({ variant = 'secondary', type = 'button', disabled = false, describedBy, onClick, ref, children }: Readonly<ButtonProps>) {
  const click = (event: MouseEvent<HTMLButtonElement>): void => {
    if (disabled) {
      event.preventDefault();
      return;
    }
    onClick?.();
  };
  return (
    <button ref={ref} className={`button button--${variant}`} type={type} aria-disabled={disabled || undefined} aria-describedby={describedBy} onClick={click}>
      {children}
    </button>
  );
}
