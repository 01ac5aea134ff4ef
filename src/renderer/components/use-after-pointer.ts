import { useCallback, useEffect, useRef } from 'react';

/**
 * Runs an action now, or, while a mouse button or finger is down, right after the click it belongs to.
 * A message that appears when a field is left (blur happens on pointer *down*) would otherwise push the
 * button or option being clicked away from under the pointer, and the click would be lost.
 */
export function useAfterPointer(): (action: () => void) => void {
  const pressed = useRef(false);
  const pending = useRef<(() => void)[]>([]);

  useEffect(() => {
    const down = (): void => {
      pressed.current = true;
    };
    const up = (): void => {
      pressed.current = false;
      const actions = pending.current.splice(0);
      // The click is dispatched in the same task as pointerup: a timeout runs after it.
      if (actions.length > 0) setTimeout(() => actions.forEach((action) => action()), 0);
    };
    window.addEventListener('pointerdown', down, true);
    window.addEventListener('pointerup', up, true);
    window.addEventListener('pointercancel', up, true);
    return () => {
      window.removeEventListener('pointerdown', down, true);
      window.removeEventListener('pointerup', up, true);
      window.removeEventListener('pointercancel', up, true);
    };
  }, []);

  return useCallback((action: () => void) => {
    if (pressed.current) pending.current.push(action);
    else action();
  }, []);
}
