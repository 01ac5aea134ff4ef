import type { MailSettingsApi } from '../shared/contract';

declare global {
  interface Window {
    /**
     * Set by the preload (one method per contract channel). Optional here because the page can be opened
     * without it (a plain browser), and the app must say so instead of crashing.
     */
    readonly mailSettings?: MailSettingsApi;
  }
}

/** The preload's API, or null when the page runs outside the app. */
export function findMailSettingsApi(): MailSettingsApi | null {
  return window.mailSettings ?? null;
}

export type { MailSettingsApi };
