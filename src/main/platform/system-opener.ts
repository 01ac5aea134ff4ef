import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { win32 } from 'node:path';
import { browserUrlOf, type ExternalOpener } from './external-link';

/** `child_process.spawn`, or a test's recorder of what would be started. */
export type SpawnProcess = (command: string, args: readonly string[], options: SpawnOptions) => Pick<ChildProcess, 'once' | 'unref'>;

export interface OpenerCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The program that hands a URL to the user's browser, with the URL as one argument and no shell:
 * - Windows: url.dll's FileProtocolHandler, by rundll32's full path (a bare `rundll32` would also be
 *   looked up in the current directory). It hands the rest of its command line to ShellExecute, which
 *   opens the https: handler. `cmd /c start` is not used: cmd.exe gives `&`, `|`, `^`, `%` and `"`
 *   in the URL a meaning, and its quoting rules differ from the ones Node's argv quoting follows.
 * - macOS: open(1); elsewhere: xdg-open(1).
 */
export function openerCommand(href: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): OpenerCommand {
  if (platform === 'win32') {
    return { command: win32.join(env['SystemRoot'] ?? 'C:\\Windows', 'System32', 'rundll32.exe'), args: ['url.dll,FileProtocolHandler', href] };
  }
  if (platform === 'darwin') return { command: '/usr/bin/open', args: [href] };
  return { command: 'xdg-open', args: [href] };
}

/**
 * Opens a URL in the system browser from plain Node (the CLI). Only what `browserUrlOf` accepts is
 * opened. The URL it returns holds no space, tab or `"`, the only characters for which libuv quotes an
 * argument on Windows, so the argument reaches rundll32 exactly as given (windowsVerbatimArguments stays
 * off, so the program path is still quoted should it hold a space).
 */
export function createSystemOpener(
  platform: NodeJS.Platform = process.platform,
  spawnProcess: SpawnProcess = spawn,
  env: NodeJS.ProcessEnv = process.env,
): ExternalOpener {
  return {
    open: async (url) => {
      const href = browserUrlOf(url.href);
      if (href === null) throw new Error('Refused to open a link that is not https (or http on this computer).');
      await startOpener(href, platform, spawnProcess, env);
    },
  };
}

/** Starts the platform's opener on an already checked href, detached, and resolves once it has started. */
function startOpener(href: string, platform: NodeJS.Platform, spawnProcess: SpawnProcess, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const { command, args } = openerCommand(href, platform, env);
    const child = spawnProcess(command, args, { shell: false, windowsVerbatimArguments: false, windowsHide: true, stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/** What a local page's file URL may hold when handed to the opener: RFC 3986 characters only (no space, no `"`). */
const plainFileUrl = /^file:\/\/\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+\.html$/;

/**
 * Opens a page of our own on disk (`file:///…/open.html`, from `writeLaunchPage`) in the system browser,
 * with the same programs and rules as `createSystemOpener`. Only an .html file URL with no host and no
 * character outside RFC 3986 is opened (pathToFileURL percent-encodes spaces and quotes).
 */
export function openLocalPage(
  fileUrl: URL,
  platform: NodeJS.Platform = process.platform,
  spawnProcess: SpawnProcess = spawn,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (fileUrl.protocol !== 'file:' || fileUrl.host !== '' || !plainFileUrl.test(fileUrl.href)) {
    return Promise.reject(new Error('Refused to open a local page that is not a plain .html file URL.'));
  }
  return startOpener(fileUrl.href, platform, spawnProcess, env);
}
