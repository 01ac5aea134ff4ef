import type { WebPreferences } from 'electron';

/**
 * The only web preferences any window of the app gets: isolated, sandboxed, no Node, web security on.
 * The renderer reaches main through the preload's contract methods and nothing else. DevTools only where the
 * caller says so (an unpackaged app: `!app.isPackaged`, decided in lifecycle.ts), off by default: in an
 * installed app they would let anyone at the keyboard run script with the page's access to main.
 */
export function hardenedWebPreferences(preload?: string, partition?: string, devTools = false): WebPreferences {
  return {
    ...(preload ? { preload } : {}),
    ...(partition ? { partition } : {}),
    devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}
