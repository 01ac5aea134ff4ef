import { pathToFileURL } from 'node:url';

/**
 * Where the renderer is loaded from: the Vite dev server in development, the built files otherwise.
 * `isAppUrl` is the one answer to "is this page ours?" used by the navigation guards and the IPC sender check.
 */
export interface AppLocation {
  readonly entryUrl: string;
  readonly isAppUrl: (url: string) => boolean;
}

export function appLocation(rendererDir: string, devServerUrl: string | undefined): AppLocation {
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    return { entryUrl: devServerUrl, isAppUrl: (url) => safeOrigin(url) === origin };
  }
  const entry = pathToFileURL(`${rendererDir}/index.html`);
  return {
    entryUrl: entry.href,
    // Only the app's own page, with or without a hash: not any other file on the disk.
    isAppUrl: (url) => {
      try {
        const parsed = new URL(url);
        return parsed.protocol === 'file:' && parsed.pathname === entry.pathname;
      } catch {
        return false;
      }
    },
  };
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
