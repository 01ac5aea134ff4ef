import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliBuild } from '../../test/support/build-freshness';
import { ensureFreshBuild } from '../../test/support/run-cli';

/** How the command ended: `code` 0 is a clean stop. */
export interface UiCommandExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

export interface UiCommand {
  /** What `--json` printed: the page's address, secret included. */
  readonly url: string;
  /** SIGTERM, as a service manager stops it; resolves once it has exited. */
  stop(): Promise<UiCommandExit>;
}

/**
 * The built `mail-settings ui` (bin/mail-settings.js) in its own process, as a user starts it, with this
 * process's environment (the test bed's keyring and CA). Resolves once it has printed its address.
 */
export async function startUiCommand(args: readonly string[], startTimeoutMs = 20_000): Promise<UiCommand> {
  await ensureFreshBuild();
  const child = spawn(process.execPath, [join(cliBuild.root, 'bin/mail-settings.js'), 'ui', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<UiCommandExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
  const firstLine = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mail-settings ui printed no address within ${startTimeoutMs} ms. stderr: ${stderr}`));
    }, startTimeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const end = stdout.indexOf('\n');
      if (end < 0) return;
      clearTimeout(limit);
      resolve(stdout.slice(0, end));
    });
    void exited.then(({ code }) => {
      clearTimeout(limit);
      reject(new Error(`mail-settings ui exited (${code}) before printing its address. stdout: ${stdout} stderr: ${stderr}`));
    });
  });
  const { url } = JSON.parse(firstLine) as { url: string };
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
