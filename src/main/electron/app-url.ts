/**
 * Where the renderer is loaded from: the app's own scheme, `app://mail-settings/`, served from the built
 * files (app-protocol.ts), or the Vite dev server while developing. `isAppUrl` is the one answer to "is this
 * page ours?" used by the navigation guards and the IPC sender check.
 */
export const appScheme = 'app';
export const appHost = 'mail-settings';
export const appEntryUrl = `${appScheme}://${appHost}/index.html`;

export interface AppLocation {
  readonly entryUrl: string;
  readonly isAppUrl: (url: string) => boolean;
}

/**
 * `ELECTRON_RENDERER_URL` (set by `electron-vite dev`) only in an unpackaged app: in an installed one, an
 * environment variable must not be able to make the window load (and trust) someone else's page.
 */
export function devServerUrlFor(isPackaged: boolean, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return isPackaged ? undefined : env['ELECTRON_RENDERER_URL'] || undefined;
}

export function appLocation(devServerUrl: string | undefined): AppLocation {
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    return { entryUrl: dev.href, isAppUrl: (url) => hasOrigin(url, dev.protocol, dev.host) };
  }
  return { entryUrl: appEntryUrl, isAppUrl: (url) => hasOrigin(url, `${appScheme}:`, appHost) };
}

/**
 * Scheme and host (with the port) compared exactly, and no user name or password: not `file:`, not
 * `app://other-host`, not `http://127.0.0.1:<another port>`. For a scheme the URL standard does not know,
 * `URL.origin` is "null", so the parts are compared one by one.
 */
function hasOrigin(url: string, protocol: string, host: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === protocol && parsed.host === host && parsed.username === '' && parsed.password === '';
}
