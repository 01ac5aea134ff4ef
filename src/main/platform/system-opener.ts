import { spawn } from 'node:child_process';
import type { ExternalOpener } from './external-link';

/** Opens a URL in the system browser from plain Node (the CLI): xdg-open, open, or start. */
export function createSystemOpener(platform: NodeJS.Platform = process.platform): ExternalOpener {
  return {
    open: (url) =>
      new Promise((resolve, reject) => {
        const [command, args] =
          platform === 'darwin'
            ? ['open', [url.href]]
            : platform === 'win32'
              ? ['cmd', ['/c', 'start', '""', url.href.replace(/&/g, '^&')]]
              : ['xdg-open', [url.href]];
        const child = spawn(command, args, { stdio: 'ignore', detached: true });
        child.once('error', reject);
        child.once('spawn', () => {
          child.unref();
          resolve();
        });
      }),
  };
}
