import type { WebPreferences } from 'electron';

/**
 * The only web preferences any window of the app gets: isolated, sandboxed, no Node, web security on.
 * The renderer reaches main through the preload's contract methods and nothing else.
 */
export function hardenedWebPreferences(preload?: string, partition?: string): WebPreferences {
  return {
    ...(preload ? { preload } : {}),
    ...(partition ? { partition } : {}),
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
