import { BrowserWindow, type WebContents } from 'electron';
import type { SignInWindowOpener } from '../oauth/sign-in-window';
import { hardenedWebPreferences } from './web-preferences';

/** The popup's own persistent session: the provider remembers who signed in (seed 000), apart from the app. */
export const signInPartition = 'persist:mail-settings-sign-in';

/**
 * Which pages each open sign-in popup may show: any https page, and of plain http only its sign-in's
 * loopback redirect URI. Any https host, because federated tenants sign in on their own ADFS, Okta or
 * Ping pages, which no list of Microsoft's hosts could name; the popup's title shows which host the
 * user is typing into. The redirect URI exactly (scheme, host, port, path), because other programs on
 * this computer listen on other loopback ports: none of them may receive the code. The app-wide
 * navigation guard asks this registry.
 */
export class SignInPopupRegistry {
  readonly #redirects = new WeakMap<WebContents, URL>();

  register(contents: WebContents, redirectUri: string): void {
    this.#redirects.set(contents, new URL(redirectUri));
  }

  allows(contents: WebContents, url: string): boolean {
    const redirect = this.#redirects.get(contents);
    if (!redirect || !URL.canParse(url)) return false;
    const target = new URL(url);
    if (target.username !== '' || target.password !== '') return false;
    if (target.protocol === 'https:') return true;
    return (
      target.protocol === redirect.protocol &&
      target.hostname === redirect.hostname &&
      target.port === redirect.port &&
      target.pathname === redirect.pathname
    );
  }
}

/** "Sign in – login.microsoftonline.com": the host whose page the popup shows, never the page's own title. */
export function signInTitle(url: string): string {
  const host = URL.canParse(url) ? new URL(url).host : '';
  return host === '' ? 'Sign in' : `Sign in – ${host}`;
}

/** Office 365 sign-in in a popup window: sandboxed, no preload, no Node, its own session partition. */
export function createSignInPopupOpener(parent: () => BrowserWindow | null, registry: SignInPopupRegistry): SignInWindowOpener {
  return {
    open: async (url, redirectUri) => {
      const owner = parent();
      const popup = new BrowserWindow({
        ...(owner ? { parent: owner } : {}),
        title: signInTitle(url),
        width: 520,
        height: 700,
        autoHideMenuBar: true,
        webPreferences: hardenedWebPreferences(undefined, signInPartition),
      });
      registry.register(popup.webContents, redirectUri);
      // A page could title itself "Microsoft" on any host: the title is ours, and names the host.
      popup.on('page-title-updated', (event) => event.preventDefault());
      popup.webContents.on('did-navigate', (_event, current) => {
        if (!popup.isDestroyed()) popup.setTitle(signInTitle(current));
      });
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
