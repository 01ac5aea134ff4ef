import { EventEmitter } from 'node:events';
import type { SpawnOptions } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { browserUrlOf } from '../../src/main/platform/external-link';
import { createSystemOpener, type SpawnProcess } from '../../src/main/platform/system-opener';

interface Spawned {
  readonly command: string;
  readonly args: readonly string[];
  readonly options: SpawnOptions;
}

/** Records what would be started instead of starting it; the "process" reports it was spawned. */
function recordingSpawn(): { spawned: Spawned[]; spawnProcess: SpawnProcess } {
  const spawned: Spawned[] = [];
  const spawnProcess: SpawnProcess = (command, args, options) => {
    spawned.push({ command, args, options });
    const child = Object.assign(new EventEmitter(), { unref: () => undefined });
    queueMicrotask(() => child.emit('spawn'));
    return child as never;
  };
  return { spawned, spawnProcess };
}

const platforms: readonly NodeJS.Platform[] = ['win32', 'darwin', 'linux'];
/** Characters cmd.exe, a shell or a command-line parser would act on, in every part of the URL. */
const tricky = 'https://login.example.com/a%zz"b^c?x=1&y=%PATH%|calc^&z="q"\\`{}%#frag"&calc';

describe('the system opener (the CLI opens the browser without a shell)', () => {
  for (const platform of platforms) {
    it(`on ${platform}: no shell, no cmd, the URL as one argument`, async () => {
      const { spawned, spawnProcess } = recordingSpawn();
      const opener = createSystemOpener(platform, spawnProcess, { SystemRoot: 'C:\\Windows' });
      await opener.open(new URL('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x&state=y'));
      await opener.open(new URL(tricky));
      expect(spawned).toHaveLength(2);
      for (const { command, args, options } of spawned) {
        expect(command).not.toMatch(/cmd|powershell|sh$/i);
        expect(options.shell).not.toBe(true);
        expect(options.windowsVerbatimArguments).not.toBe(true);
        // The URL is the last argument, whole, and nothing else is derived from it.
        expect(args.filter((arg) => arg.includes('login.'))).toHaveLength(1);
      }
      expect(spawned[0]?.args.at(-1)).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x&state=y');
      const trickyArg = spawned[1]?.args.at(-1) ?? '';
      expect(trickyArg).toBe(browserUrlOf(tricky));
      // Nothing that could end the argument (libuv quotes only for space, tab and ") or that a parser acts on.
      expect(trickyArg).not.toMatch(/[\s"^`{}|\\]|%(?![0-9A-F]{2})/);
      expect(new URL(trickyArg).host).toBe('login.example.com');
    });
  }

  it('uses rundll32 url.dll,FileProtocolHandler by its full path on Windows, open on macOS, xdg-open elsewhere', async () => {
    const commands: string[][] = [];
    for (const platform of platforms) {
      const { spawned, spawnProcess } = recordingSpawn();
      await createSystemOpener(platform, spawnProcess, { SystemRoot: 'C:\\Windows' }).open(new URL('https://example.com/'));
      commands.push([spawned[0]?.command ?? '', ...(spawned[0]?.args ?? [])]);
    }
    expect(commands).toEqual([
      ['C:\\Windows\\System32\\rundll32.exe', 'url.dll,FileProtocolHandler', 'https://example.com/'],
      ['/usr/bin/open', 'https://example.com/'],
      ['xdg-open', 'https://example.com/'],
    ]);
  });

  it('refuses what is not https (http only on this computer) and URLs with credentials, and starts nothing', async () => {
    for (const platform of platforms) {
      const { spawned, spawnProcess } = recordingSpawn();
      const opener = createSystemOpener(platform, spawnProcess, {});
      for (const url of [
        'javascript:alert(1)',
        'file:///C:/Windows/System32/calc.exe',
        'file:///etc/passwd',
        'http://example.com/',
        'http://127.0.0.2/',
        'https://user:password@example.com/',
        'https://user@example.com/',
        'ms-settings:privacy',
        'smb://server/share',
      ]) {
        await expect(opener.open(new URL(url)), url).rejects.toThrow(/not https/);
      }
      expect(spawned).toEqual([]);
    }
  });

  it('opens http on the loopback (a local identity provider or redirect)', async () => {
    const { spawned, spawnProcess } = recordingSpawn();
    const opener = createSystemOpener('linux', spawnProcess, {});
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]:8080/', 'http://localhost:8080/']) await opener.open(new URL(url));
    expect(spawned.map(({ args }) => args.at(-1))).toEqual(['http://127.0.0.1:8080/', 'http://[::1]:8080/', 'http://localhost:8080/']);
  });

  it('keeps a valid URL as the URL parser serialised it', () => {
    for (const url of ['https://accounts.google.com/o/oauth2/v2/auth?scope=openid%20email&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2F', 'https://xn--bcher-kva.example/%C3%A9?q=%41#top']) {
      expect(browserUrlOf(url)).toBe(new URL(url).href);
    }
  });
});
