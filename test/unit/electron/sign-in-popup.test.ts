import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MockBrowserWindow, MockWebContents, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { createSignInPopupOpener, SignInPopupRegistry, signInPartition } = await import('../../../src/main/electron/sign-in-popup');
const { installNavigationGuards } = await import('../../../src/main/electron/navigation-guards');

describe('the OAuth sign-in popup', () => {
  let registry: InstanceType<typeof SignInPopupRegistry>;
  beforeEach(() => {
    resetElectronMock();
    registry = new SignInPopupRegistry();
  });

  it('is sandboxed, has no preload and its own session partition, and loads the authorization page', async () => {
    const parent = new MockBrowserWindow({});
    await createSignInPopupOpener(() => parent as never, registry).open('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?x=1', [
      'https://login.microsoftonline.com',
    ]);
    const popup = MockBrowserWindow.all[1];
    expect(popup?.options).toMatchObject({ parent, title: 'Sign in' });
    expect(popup?.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, partition: signInPartition });
    expect(popup?.options['webPreferences']).not.toHaveProperty('preload');
    expect(popup?.loadURL).toHaveBeenCalledWith('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?x=1');
  });

  it('may navigate only to its identity provider and the loopback redirect', async () => {
    await createSignInPopupOpener(() => null, registry).open('https://idp.example/authorize', ['https://idp.example']);
    const contents = MockBrowserWindow.all[0]?.webContents as MockWebContents;
    installNavigationGuards(contents as never, { isAllowedUrl: (target, url) => registry.allows(target as never, url), openExternal: () => undefined });
    expect(contents.attempt('will-navigate', 'https://idp.example/login/totp')).toBe(false);
    expect(contents.attempt('will-navigate', 'http://localhost:53123/')).toBe(false);
    expect(contents.attempt('will-navigate', 'http://127.0.0.1:53123/')).toBe(false);
    expect(contents.attempt('will-navigate', 'https://phishing.example/')).toBe(true);
    expect(contents.attempt('will-navigate', 'http://idp.example/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    // Other web contents get nothing from the popup's allowance.
    expect(registry.allows(new MockWebContents() as never, 'https://idp.example/')).toBe(false);
  });

  it('reports when the user closes it, and can be closed by the sign-in flow', async () => {
    const window = await createSignInPopupOpener(() => null, registry).open('https://idp.example/authorize', ['https://idp.example']);
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
