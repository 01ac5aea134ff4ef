import type { MailSettingsApi } from '../shared/contract';
import { launchSecretOf } from './web/launch-secret';
import { createWebApi } from './web/web-api';

declare global {
  interface Window {
    /**
     * Set by the preload (one method per contract channel). Optional here because the page can be opened
     * without it (a plain browser), and the app must say so instead of crashing.
     */
    readonly mailSettings?: MailSettingsApi;
  }
}

/**
 * The preload's API; in a page served by `mail-settings ui`, the same API over HTTP, put where the preload
 * puts it (so any script of the page finds it as in the app); null when the page runs outside both.
 */
export function findMailSettingsApi(): MailSettingsApi | null {
  if (window.mailSettings) return window.mailSettings;
  const secret = launchSecretOf(window.location);
  if (secret === null) return null;
  const api = createWebApi(secret);
  Object.defineProperty(window, 'mailSettings', { value: api, enumerable: true });
  return api;
}

export type { MailSettingsApi };
