import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { channels, ipcChannelOf } from '../../../src/shared/contract';
import { app, dialog, ipcMain, MockBrowserWindow, MockWebContents, protocol, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);
// electron-store is conf plus Electron's paths; in plain Node, conf itself stands in for it.
vi.mock('electron-store', async () => ({ default: (await import('conf')).default }));

const { runApp } = await import('../../../src/main/electron/lifecycle');

describe('app lifecycle', () => {
  let userData: string;
  beforeEach(async () => {
    resetElectronMock();
    userData = await mkdtemp(join(tmpdir(), 'mail-settings-lifecycle-'));
    app.getPath.mockReturnValue(userData);
    app.whenReady.mockResolvedValue(undefined);
  });
  afterEach(() => rm(userData, { recursive: true, force: true }));

  it('quits at once when another instance already holds the single-instance lock', async () => {
    app.requestSingleInstanceLock.mockReturnValue(false);
    await runApp();
    expect(app.quit).toHaveBeenCalled();
    expect(MockBrowserWindow.all).toHaveLength(0);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('as the first instance, registers every channel and opens one hardened window on the app page', async () => {
    await runApp();
    expect(app.quit).not.toHaveBeenCalled();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(channels.map(ipcChannelOf).sort());
    expect(MockBrowserWindow.all).toHaveLength(1);
    const [window] = MockBrowserWindow.all;
    expect(window?.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(window?.loadURL.mock.calls[0]?.[0]).toBe('app://mail-settings/index.html');
  });

  it('registers app: as a privileged scheme before the app is ready, and serves it once ready', async () => {
    let registeredBeforeReady = false;
    app.whenReady.mockImplementation(async () => {
      registeredBeforeReady = protocol.registerSchemesAsPrivileged.mock.calls.length > 0 && !protocol.handlers.has('app');
    });
    await runApp();
    expect(registeredBeforeReady).toBe(true);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(protocol.handlers.has('app')).toBe(true);
  });

  describe('packaged or not', () => {
    const devServer = 'http://localhost:5173/';
    beforeEach(() => {
      process.env['ELECTRON_RENDERER_URL'] = devServer;
    });
    afterEach(() => {
      delete process.env['ELECTRON_RENDERER_URL'];
    });

    it('an installed (packaged) app ignores ELECTRON_RENDERER_URL, has no DevTools, and trusts only app://', async () => {
      app.isPackaged = true;
      await runApp();
      const [window] = MockBrowserWindow.all;
      expect(window?.loadURL.mock.calls[0]?.[0]).toBe('app://mail-settings/index.html');
      expect(window?.options['webPreferences']).toMatchObject({ devTools: false });
      // The navigation guard (same isAppUrl as the IPC sender check) refuses the dev server's page.
      const contents = new MockWebContents();
      app.emit('web-contents-created', {}, contents);
      expect(contents.attempt('will-navigate', `${devServer}index.html`)).toBe(true);
      expect(contents.attempt('will-navigate', 'app://mail-settings/index.html')).toBe(false);
    });

    it('while developing (unpackaged), loads the dev server with DevTools', async () => {
      await runApp();
      const [window] = MockBrowserWindow.all;
      expect(window?.loadURL.mock.calls[0]?.[0]).toBe(devServer);
      expect(window?.options['webPreferences']).toMatchObject({ devTools: true });
    });
  });

  it('focuses the existing window when a second instance starts', async () => {
    await runApp();
    app.emit('second-instance');
    expect(MockBrowserWindow.all[0]?.focus).toHaveBeenCalled();
  });

  it('guards every web contents created, including unexpected ones', async () => {
    await runApp();
    const contents = new MockWebContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.attempt('will-navigate', 'https://example.com/')).toBe(true);
  });

  it('explains a damaged settings file and quits instead of crashing', async () => {
    await writeFile(join(userData, 'settings.json'), '{ not json');
    await runApp();
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Mail Settings', expect.stringContaining('damaged'));
    expect(app.quit).toHaveBeenCalled();
    expect(MockBrowserWindow.all).toHaveLength(0);
  });
});
