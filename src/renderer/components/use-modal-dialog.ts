import { useEffect, useRef, type RefObject, type SyntheticEvent } from 'react';

/**
 * A native modal <dialog> (focus trap, Escape, inert background for free) shown while the component is
 * mounted, with the focus on its first control or on the element marked `data-autofocus`. Focus goes back
 * to whatever opened it when it goes away, and Escape asks `onCancel` instead of closing the dialog behind
 * the container's back (the container decides by state).
 */
export function useModalDialog(onCancel: () => void): {
  readonly dialogRef: RefObject<HTMLDialogElement | null>;
  readonly cancel: (event: SyntheticEvent<HTMLDialogElement>) => void;
} {
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog?.showModal();
    // A long dialog starts at its top (its title, marked data-autofocus), not in its first field: the user
    // reads it first, and a field left at once would be marked as missing before anything was typed.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const cancel = (event: SyntheticEvent<HTMLDialogElement>): void => {
    event.preventDefault();
    onCancel();
  };
  return { dialogRef, cancel };
}
