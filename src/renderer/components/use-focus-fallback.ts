import { useEffect, useRef, type RefObject } from 'react';

/**
 * Where the keyboard goes when the control that had it goes away with a change of state: the button the
 * user pressed was replaced (Remove by Undo, "Sign in…" by Cancel) or the state that had it ended (a
 * sign-in finished, an attachment removed). The browser would drop the focus to the page, and the next
 * Tab would start from the top (WCAG 2.4.3 Focus Order); it goes to `target` instead, the control that now
 * does the job. Only when the focus was in `container` and is lost: nothing is taken from a user who is
 * somewhere else, nor on the first render.
 */
export function useFocusFallback(container: RefObject<HTMLElement | null>, target: RefObject<HTMLElement | null>, stateKey: string): void {
  // Removing the focused element fires no focus event, so the last focusin tells where the focus was.
  const focusWasInside = useRef(false);
  useEffect(() => {
    const track = (event: FocusEvent): void => {
      focusWasInside.current = event.target instanceof Node && (container.current?.contains(event.target) ?? false);
    };
    document.addEventListener('focusin', track);
    return () => document.removeEventListener('focusin', track);
  }, [container]);

  const shownKey = useRef(stateKey);
  useEffect(() => {
    if (shownKey.current === stateKey) return;
    shownKey.current = stateKey;
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (lost && focusWasInside.current) target.current?.focus();
  }, [stateKey, target]);
}
