import type { WebContents } from 'electron';
import { parseExternalHttpsUrl } from '../platform/external-link';

export interface NavigationPolicy {
  /** True for URLs this web contents may show: the app page, or for a sign-in popup https pages and its redirect URI. */
  readonly isAllowedUrl: (contents: WebContents, url: string) => boolean;
  /** Opens a checked https URL in the user's browser. */
  readonly openExternal: (url: URL) => void;
  /** True for the page that may write to the clipboard ("Copy sign-in link"): the app's own, not a popup. */
  readonly mayWriteClipboard?: (url: string) => boolean;
}

/**
 * Applied to every WebContents the app creates: no new windows (an https link goes to the browser
 * instead), no navigation to anything the policy does not allow, no <webview>, no permission grants but
 * clipboard writes by the app's own page.
 */
export function installNavigationGuards(contents: WebContents, policy: NavigationPolicy): void {
  contents.setWindowOpenHandler(({ url }) => {
    const external = parseExternalHttpsUrl(url);
    if (external) policy.openExternal(external);
    return { action: 'deny' };
  });
  const blockUnlessAllowed = (event: { preventDefault(): void }, url: string): void => {
    if (!policy.isAllowedUrl(contents, url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => blockUnlessAllowed(event, event.url));
  // will-navigate is about the main frame only: an iframe of a page (or one it injects) navigating to
  // another loopback port or a file: URL is stopped here.
  contents.on('will-frame-navigate', (event) => blockUnlessAllowed(event, event.url));
  contents.on('will-redirect', (event) => blockUnlessAllowed(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The one permission granted: writing text to the clipboard (navigator.clipboard.writeText), for the app's page.
  const allowed = (target: WebContents | null | undefined, permission: string): boolean =>
    permission === 'clipboard-sanitized-write' && !!target && !target.isDestroyed() && (policy.mayWriteClipboard?.(target.getURL()) ?? false);
  contents.session.setPermissionRequestHandler((target, permission, callback) => callback(allowed(target, permission)));
  contents.session.setPermissionCheckHandler((target, permission) => allowed(target, permission));
}
