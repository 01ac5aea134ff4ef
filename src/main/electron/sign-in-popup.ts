import { BrowserWindow, type WebContents } from 'electron';
import type { SignInWindowOpener } from '../oauth/sign-in-window';
import { hardenedWebPreferences } from './web-preferences';

/** The popup's own persistent session: the provider remembers who signed in (seed 000), apart from the app. */
export const signInPartition = 'persist:mail-settings-sign-in';

/**
 * Which pages each open sign-in popup may show: its identity provider's origins, and the loopback redirect
 * (http on localhost or 127.0.0.1). The app-wide navigation guard asks this registry.
 */
export class SignInPopupRegistry {
  readonly #allowed = new WeakMap<WebContents, ReadonlySet<string>>();

  register(contents: WebContents, origins: readonly string[]): void {
    this.#allowed.set(contents, new Set(origins));
  }

  allows(contents: WebContents, url: string): boolean {
    const origins = this.#allowed.get(contents);
    if (!origins) return false;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol === 'http:' && (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost')) return true;
    return parsed.protocol === 'https:' && origins.has(parsed.origin);
  }
}

/** Office 365 sign-in in a popup window: sandboxed, no preload, no Node, its own session partition. */
export function createSignInPopupOpener(parent: () => BrowserWindow | null, registry: SignInPopupRegistry): SignInWindowOpener {
  return {
    open: async (url, allowedOrigins) => {
      const owner = parent();
      const popup = new BrowserWindow({
        ...(owner ? { parent: owner } : {}),
        title: 'Sign in',
        width: 520,
        height: 700,
        autoHideMenuBar: true,
        webPreferences: hardenedWebPreferences(undefined, signInPartition),
      });
      registry.register(popup.webContents, allowedOrigins);
      const closed = new Promise<void>((resolve) => popup.once('closed', () => resolve()));
      void popup.loadURL(url).catch(() => undefined);
      return {
        closed,
        close: () => {
          if (!popup.isDestroyed()) popup.close();
        },
      };
    },
  };
}
