import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockBrowserWindow} from './electron-mock';
import { dialog, MockWebContents, resetElectronMock, shell } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { createMainWindow } = await import('../../../src/main/electron/main-window');
const { installNavigationGuards } = await import('../../../src/main/electron/navigation-guards');
const { appLocation } = await import('../../../src/main/electron/app-url');
const { createElectronOpener } = await import('../../../src/main/electron/external-opener');

const location = appLocation(undefined);

describe('the main window', () => {
  beforeEach(resetElectronMock);

  it('is created isolated, sandboxed, without Node and with web security, and loads the app page from app://', () => {
    const window = createMainWindow(location, '/opt/mail-settings/out/preload/index.cjs') as unknown as MockBrowserWindow;
    expect(window.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/opt/mail-settings/out/preload/index.cjs',
    });
    expect(window.loadURL).toHaveBeenCalledWith('app://mail-settings/index.html');
  });

  it('asks before unsaved changes are lost, and closes only when the user says so (will-prevent-unload)', () => {
    const window = createMainWindow(location, '/opt/mail-settings/out/preload/index.cjs') as unknown as MockBrowserWindow;
    const unload = (): boolean => {
      let closes = false;
      // Electron: preventDefault() on will-prevent-unload overrides the page's beforeunload and closes.
      window.webContents.emit('will-prevent-unload', { preventDefault: () => (closes = true) });
      return closes;
    };
    dialog.showMessageBoxSync.mockReturnValueOnce(1);
    expect(unload()).toBe(false);
    expect(dialog.showMessageBoxSync).toHaveBeenLastCalledWith(
      window,
      expect.objectContaining({ message: 'You have unsaved changes in Mail Settings.', buttons: ['Close without saving', 'Keep editing'], defaultId: 1, cancelId: 1 }),
    );
    dialog.showMessageBoxSync.mockReturnValueOnce(0);
    expect(unload()).toBe(true);
  });

  it('has DevTools only when asked (an unpackaged app)', () => {
    const window = createMainWindow(location, '/opt/mail-settings/out/preload/index.cjs', true) as unknown as MockBrowserWindow;
    expect(window.options['webPreferences']).toMatchObject({ devTools: true, sandbox: true });
  });
});

describe('navigation guards', () => {
  let contents: MockWebContents;
  const opened: string[] = [];
  beforeEach(() => {
    resetElectronMock();
    opened.length = 0;
    contents = new MockWebContents();
    installNavigationGuards(contents as never, { isAllowedUrl: (_contents, url) => location.isAppUrl(url), openExternal: (url) => opened.push(url.href) });
  });

  it('denies every new window and sends https links to the browser instead', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://learn.microsoft.com/app-passwords' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://learn.microsoft.com/app-passwords']);
  });

  it('opens nothing for links that are not https', () => {
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share', 'https://user:pw@example.com/']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([]);
  });

  it('blocks navigation and redirects away from the app page, and allows the app page itself', () => {
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///opt/mail-settings/out/renderer/index.html')).toBe(true);
    expect(contents.attempt('will-navigate', 'app://mail-settings/index.html#send-direct')).toBe(false);
  });

  it('refuses <webview> and every permission request', () => {
    expect(contents.attempt('will-attach-webview')).toBe(true);
    let granted: boolean | undefined;
    contents.session.permissionRequestHandler?.(contents, 'media', (value) => (granted = value));
    expect(granted).toBe(false);
    expect(contents.session.permissionCheckHandler?.()).toBe(false);
  });
});

describe('the external opener', () => {
  beforeEach(resetElectronMock);

  it('opens https links with the shell and refuses anything else', async () => {
    const opener = createElectronOpener();
    await opener.open(new URL('https://support.microsoft.com/'));
    expect(shell.openExternal).toHaveBeenCalledWith('https://support.microsoft.com/');
    await expect(opener.open(new URL('file:///etc/passwd'))).rejects.toThrow(/not https/);
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('app location', () => {
  it('in development trusts only the dev server origin', () => {
    const dev = appLocation('http://localhost:5173/');
    expect(dev.isAppUrl('http://localhost:5173/index.html')).toBe(true);
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false);
    expect(dev.isAppUrl('not a url')).toBe(false);
  });
});
