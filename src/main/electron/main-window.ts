import { BrowserWindow, dialog } from 'electron';
import { productName } from '../platform/data-dir';
import type { AppLocation } from './app-url';
import { hardenedWebPreferences } from './web-preferences';

/**
 * The one factory for the app's main window; its web preferences are the hardened ones, always. `devTools`:
 * only in an unpackaged app.
 */
export function createMainWindow(location: AppLocation, preloadPath: string, devTools = false): BrowserWindow {
  const window = new BrowserWindow({
    title: productName,
    width: 760,
    height: 820,
    minWidth: 560,
    minHeight: 520,
    show: false,
    backgroundColor: '#f4f6f9',
    webPreferences: hardenedWebPreferences(preloadPath, undefined, devTools),
  });
  window.once('ready-to-show', () => window.show());
  // The page asks before unsaved changes are lost (beforeunload); Electron leaves the question to us.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      title: productName,
      message: 'You have unsaved changes in Mail Settings.',
      detail: 'If you close the window now, your changes are lost.',
      buttons: ['Close without saving', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
    });
    // preventDefault() here means: ignore the page's objection and close.
    if (choice === 0) event.preventDefault();
  });
  void window.loadURL(location.entryUrl);
  return window;
}
