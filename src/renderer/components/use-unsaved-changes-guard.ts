import { useEffect } from 'react';

/**
 * While there are unsaved changes, closing or reloading the window asks first (the browser's, or in the
 * app Electron's, "leave this page?" question). Without changes nothing is in the way.
 */
export function useUnsavedChangesGuard(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent): void => {
      event.preventDefault();
      // Older engines only ask when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}
