import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MockBrowserWindow, MockWebContents, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { createSignInPopupOpener, SignInPopupRegistry, signInPartition } = await import('../../../src/main/electron/sign-in-popup');
const { installNavigationGuards } = await import('../../../src/main/electron/navigation-guards');

const redirectUri = 'http://localhost:53123/';

describe('the OAuth sign-in popup', () => {
  let registry: InstanceType<typeof SignInPopupRegistry>;
  beforeEach(() => {
    resetElectronMock();
    registry = new SignInPopupRegistry();
  });

  /** Opens a popup on `url` with the app-wide guards installed, as the app does for every web contents. */
  async function openGuardedPopup(url = 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?x=1'): Promise<{ popup: MockBrowserWindow; contents: MockWebContents }> {
    await createSignInPopupOpener(() => null, registry).open(url, redirectUri);
    const popup = MockBrowserWindow.all.at(-1) as MockBrowserWindow;
    const contents = popup.webContents;
    installNavigationGuards(contents as never, { isAllowedUrl: (target, url) => registry.allows(target as never, url), openExternal: () => undefined });
    return { popup, contents };
  }

  it('is sandboxed, has no preload and its own session partition, and loads the authorization page', async () => {
    const parent = new MockBrowserWindow({});
    await createSignInPopupOpener(() => parent as never, registry).open('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?x=1', redirectUri);
    const popup = MockBrowserWindow.all[1];
    expect(popup?.options).toMatchObject({ parent });
    expect(popup?.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, partition: signInPartition });
    expect(popup?.options['webPreferences']).not.toHaveProperty('preload');
    expect(popup?.loadURL).toHaveBeenCalledWith('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?x=1');
  });

  it('may show any https page: federated tenants sign in on their own ADFS, Okta or Ping pages', async () => {
    const { contents } = await openGuardedPopup();
    for (const url of ['https://login.microsoftonline.com/common/login', 'https://adfs.contoso.com/adfs/ls/', 'https://contoso.okta.com/login', 'https://sso.contoso.com:9031/as/authorization.oauth2']) {
      expect(contents.attempt('will-navigate', url)).toBe(false);
      expect(contents.attempt('will-redirect', url)).toBe(false);
    }
  });

  it('reaches the loopback only at exactly its redirect URI (scheme, host, port, path)', async () => {
    const { contents } = await openGuardedPopup();
    // The form_post answer, and the query answer, at the redirect URI itself.
    expect(contents.attempt('will-navigate', 'http://localhost:53123/')).toBe(false);
    expect(contents.attempt('will-redirect', 'http://localhost:53123/?code=c&state=s')).toBe(false);
    for (const url of [
      'http://127.0.0.1:53124/', // another program's port
      'http://localhost:53124/',
      'http://127.0.0.1:53123/', // the same port, but not the host the redirect URI names
      'http://[::1]:53123/',
      'http://localhost:53123/admin', // another path
      'http://localhost/',
      'https://user:password@login.microsoftonline.com/',
      'http://idp.example/',
      'file:///etc/passwd',
    ]) {
      expect(contents.attempt('will-navigate', url), url).toBe(true);
      expect(contents.attempt('will-redirect', url), url).toBe(true);
    }
    // Other web contents get nothing from the popup's allowance.
    expect(registry.allows(new MockWebContents() as never, 'https://login.microsoftonline.com/')).toBe(false);
  });

  it('guards subframes too (will-frame-navigate): an iframe cannot reach another loopback port or a file', async () => {
    const { contents } = await openGuardedPopup();
    expect(contents.attempt('will-frame-navigate', 'http://127.0.0.1:53124/', { isMainFrame: false })).toBe(true);
    expect(contents.attempt('will-frame-navigate', 'file:///etc/passwd', { isMainFrame: false })).toBe(true);
    expect(contents.attempt('will-frame-navigate', 'http://localhost:53124/', { isMainFrame: true })).toBe(true);
    expect(contents.attempt('will-frame-navigate', 'https://login.live.com/frame', { isMainFrame: false })).toBe(false);
  });

  it('shows the host of the current page in its title, and pages cannot set it', async () => {
    const { popup, contents } = await openGuardedPopup();
    expect(popup.title).toBe('Sign in – login.microsoftonline.com');
    contents.navigated('https://adfs.contoso.com/adfs/ls/?wa=wsignin1.0');
    expect(popup.title).toBe('Sign in – adfs.contoso.com');
    expect(popup.pageSetsTitle('Sign in to your Microsoft account')).toBe(true);
    expect(popup.title).toBe('Sign in – adfs.contoso.com');
    contents.navigated('https://sso.contoso.com:9031/as/authorization.oauth2');
    expect(popup.title).toBe('Sign in – sso.contoso.com:9031');
  });

  it('reports when the user closes it, and can be closed by the sign-in flow', async () => {
    const window = await createSignInPopupOpener(() => null, registry).open('https://idp.example/authorize', redirectUri);
    const popup = MockBrowserWindow.all[0] as MockBrowserWindow;
    let closed = false;
    void window.closed.then(() => (closed = true));
    window.close();
    await Promise.resolve();
    expect(popup.close).toHaveBeenCalled();
    expect(closed).toBe(true);
    window.close(); // closing twice (flow cleanup after the user closed it) is harmless
    expect(popup.close).toHaveBeenCalledTimes(1);
  });
});
