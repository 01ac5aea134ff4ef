import { useEffect } from 'react';
import type { AdminSession, AdminStatus } from '../../shared/admin';
import type { MailSettingsApi } from '../../shared/contract';
import { callSafely } from '../call-safely';

/** Main hears of the user's work at most this often: the session's 15 idle minutes are counted in minutes. */
export const adminActivityIntervalMs = 60_000;

/**
 * While an administrator is signed in, a click or a key press in the window tells main the user is still at
 * work, so the 15 idle minutes start again (at most once a minute). Nothing is sent while nobody is signed in.
 */
export function useAdminActivity(api: MailSettingsApi, signedIn: AdminSession | null, onStatus: (status: AdminStatus) => void): void {
  const email = signedIn?.email ?? null;
  useEffect(() => {
    if (email === null) return;
    // Signing in was activity already.
    let lastNoted = Date.now();
    const note = (): void => {
      const now = Date.now();
      if (now - lastNoted < adminActivityIntervalMs) return;
      lastNoted = now;
      void callSafely(() => api.noteAdminActivity({})).then((result) => {
        if (result.ok) onStatus(result.value);
      });
    };
    window.addEventListener('pointerdown', note, { capture: true, passive: true });
    window.addEventListener('keydown', note, { capture: true, passive: true });
    return () => {
      window.removeEventListener('pointerdown', note, { capture: true });
      window.removeEventListener('keydown', note, { capture: true });
    };
  }, [api, email, onStatus]);
}
