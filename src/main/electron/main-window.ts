import { BrowserWindow } from 'electron';
import { productName } from '../platform/data-dir';
import type { AppLocation } from './app-url';
import { hardenedWebPreferences } from './web-preferences';

/** The one factory for the app's main window; its web preferences are the hardened ones, always. */
export function createMainWindow(location: AppLocation, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    title: productName,
    width: 760,
    height: 820,
    minWidth: 560,
    minHeight: 520,
    show: false,
    backgroundColor: '#f4f6f9',
    webPreferences: hardenedWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(location.entryUrl);
  return window;
}
