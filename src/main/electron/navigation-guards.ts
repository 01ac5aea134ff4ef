import type { WebContents } from 'electron';
import { parseExternalHttpsUrl } from '../platform/external-link';

export interface NavigationPolicy {
  /** True for URLs of the app itself (the built renderer, or the dev server in development). */
  readonly isAppUrl: (url: string) => boolean;
  /** Opens a checked https URL in the user's browser. */
  readonly openExternal: (url: URL) => void;
}

/**
 * Applied to every WebContents the app creates: no new windows (an https link goes to the browser
 * instead), no navigation away from the app, no <webview>, no permission grants.
 */
export function installNavigationGuards(contents: WebContents, policy: NavigationPolicy): void {
  contents.setWindowOpenHandler(({ url }) => {
    const external = parseExternalHttpsUrl(url);
    if (external) policy.openExternal(external);
    return { action: 'deny' };
  });
  const blockUnlessApp = (event: { preventDefault(): void }, url: string): void => {
    if (!policy.isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => blockUnlessApp(event, event.url));
  contents.on('will-redirect', (event) => blockUnlessApp(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
