import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { startRuntime, type Runtime } from '../node-runtime';
import { productName } from '../platform/data-dir';
import { SecretStoreError } from '../secrets/secret-store';
import { SettingsError } from '../settings/settings-store';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { appLocation, devServerUrlFor } from './app-url';
import { openElectronSettings } from './electron-settings';
import { createElectronOpener } from './external-opener';
import { createElectronFilePicker } from './file-picker';
import { forwardEventsToWindows, registerIpcHandlers } from './ipc';
import { createMainWindow } from './main-window';
import { installNavigationGuards } from './navigation-guards';
import { notifyWhenReauthNeeded } from './reauth-notifications';
import { createSignInPopupOpener, SignInPopupRegistry } from './sign-in-popup';

/**
 * App lifecycle: one instance, hardened web contents everywhere, services started on the user-data folder,
 * IPC registered from the contract, one main window. Resolves once the window exists (or the app quits).
 */
export async function runApp(): Promise<void> {
  app.setName(productName);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  // Before ready, as Electron requires; the handler itself is installed once the app is ready.
  registerAppScheme();
  const rendererDir = join(import.meta.dirname, '../renderer');
  // An installed app loads only its own files, and without DevTools.
  const developing = !app.isPackaged;
  const location = appLocation(devServerUrlFor(app.isPackaged, process.env));
  const preload = join(import.meta.dirname, '../preload/index.cjs');
  const opener = createElectronOpener();
  let mainWindow: BrowserWindow | null = null;
  const signInPopups = new SignInPopupRegistry();
  let runtime: Runtime | undefined;
  const openMainWindow = (): void => {
    mainWindow = createMainWindow(location, preload, developing);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every web contents, including ones the app did not create on purpose, gets the guards.
  app.on('web-contents-created', (_event, contents) => {
    installNavigationGuards(contents, {
      isAllowedUrl: (target, url) => location.isAppUrl(url) || signInPopups.allows(target, url),
      openExternal: (url) => void opener.open(url),
      mayWriteClipboard: location.isAppUrl,
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => void runtime?.stop());

  await app.whenReady();
  serveRenderer(rendererDir);
  try {
    runtime = await startRuntime({
      dataDir: app.getPath('userData'),
      openSettings: openElectronSettings,
      externalOpener: opener,
      popupOpener: createSignInPopupOpener(() => mainWindow, signInPopups),
      filePicker: createElectronFilePicker(() => mainWindow),
      scheduleInboxes: true,
    });
  } catch (error) {
    // The keychain is read at the start when the records are in a shared database (its password).
    const appError = error instanceof SettingsError || error instanceof SecretStoreError ? error.appError : null;
    dialog.showErrorBox(productName, appError ? `${appError.message}\n\n${appError.fix ?? ''}` : 'Mail Settings could not start.');
    app.quit();
    return;
  }
  registerIpcHandlers(runtime.dispatch, location.isAppUrl);
  forwardEventsToWindows(runtime.services.events);
  openMainWindow();
  const notices = await runtime.services.reauth.list();
  notifyWhenReauthNeeded(runtime.services.events, notices.ok ? notices.value : [], () => {
    if (!mainWindow) openMainWindow();
    mainWindow?.show();
    mainWindow?.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
}
