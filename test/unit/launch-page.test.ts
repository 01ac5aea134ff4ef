import { EventEmitter } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openLocalPage, type SpawnProcess } from '../../src/main/platform/system-opener';
import { writeLaunchPage } from '../../src/main/web/launch-page';

const address = 'http://127.0.0.1:41234/Zm9vYmFyc2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw/';

function recordingSpawn(): { argv: string[][]; spawnProcess: SpawnProcess } {
  const argv: string[][] = [];
  const spawnProcess: SpawnProcess = (command, args) => {
    argv.push([command, ...args]);
    const child = Object.assign(new EventEmitter(), { unref: () => undefined });
    queueMicrotask(() => child.emit('spawn'));
    return child as never;
  };
  return { argv, spawnProcess };
}

describe('mail-settings ui opens the browser without putting the secret on a command line', () => {
  it('writes a page only this user can read, which leads to the address', async () => {
    const page = await writeLaunchPage(address);
    try {
      const file = fileURLToPath(page.fileUrl);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
      const html = await readFile(file, 'utf8');
      expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${address}">`);
      expect(page.fileUrl.href).not.toContain('Zm9vYmFy');
    } finally {
      await page.remove();
    }
    await expect(stat(fileURLToPath(page.fileUrl))).rejects.toThrow();
  });

  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    it(`on ${platform}: the browser's command line holds the page's file URL, not the address`, async () => {
      const page = await writeLaunchPage(address);
      try {
        const { argv, spawnProcess } = recordingSpawn();
        await openLocalPage(page.fileUrl, platform, spawnProcess, { SystemRoot: 'C:\\Windows' });
        expect(argv).toHaveLength(1);
        expect(argv[0]?.at(-1)).toBe(page.fileUrl.href);
        expect(argv.flat().join(' ')).not.toContain('Zm9vYmFy');
      } finally {
        await page.remove();
      }
    });
  }

  it('opens nothing but a plain local .html file URL', async () => {
    const { argv, spawnProcess } = recordingSpawn();
    for (const url of ['https://example.com/open.html', 'file://server/share/open.html', 'file:///tmp/open.sh', address]) {
      await expect(openLocalPage(new URL(url), 'linux', spawnProcess, {})).rejects.toThrow(/plain .html file URL/);
    }
    // A folder with a space or a quote is percent-encoded by pathToFileURL, so it still goes as one argument.
    await openLocalPage(pathToFileURL('/home/Jane "J" Doe/mail settings/open.html'), 'linux', spawnProcess, {});
    expect(argv).toEqual([['xdg-open', 'file:///home/Jane%20%22J%22%20Doe/mail%20settings/open.html']]);
  });
});
