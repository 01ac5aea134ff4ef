import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliBuild } from './build-freshness';
import { ensureFreshBuild } from './run-cli';

const bin = join(cliBuild.root, 'bin/mail-settings.js');

export interface ServeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** When the process ended (Date.now()). */
  readonly at: number;
}

/** `mail-settings serve` from the build, running in the background as a service manager would run it. */
export interface ServeChild {
  /** The process id (what a mailbox lease names as its holder's `pid`). */
  readonly pid: number;
  /** Every stdout line so far, without its line end. */
  readonly lines: readonly string[];
  /** The first line from index `from` on that matches, as soon as it is printed; rejects after `timeoutMs` or if the process ends first. */
  waitForLine(matches: (line: string) => boolean, options?: { readonly from?: number; readonly timeoutMs?: number }): Promise<{ line: string; index: number }>;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<ServeExit>;
}

export async function startServe(args: readonly string[], options: { readonly env?: NodeJS.ProcessEnv } = {}): Promise<ServeChild> {
  await ensureFreshBuild();
  const child = spawn(process.execPath, [bin, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  let stderr = '';
  let ended = false;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<ServeExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (partial) lines.push(partial);
      ended = true;
      resolve({ code, signal, stderr, at: Date.now() });
      for (const wake of waiters) wake();
    });
  });

  return {
    pid: child.pid ?? 0,
    lines,
    exited,
    kill: (signal) => child.kill(signal),
    waitForLine: (matches, { from = 0, timeoutMs = 30_000 } = {}) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const index = lines.findIndex((line, at) => at >= from && matches(line));
          if (index >= 0) {
            finish();
            resolve({ line: lines[index] ?? '', index });
            return true;
          }
          if (ended) {
            finish();
            reject(new Error(`serve ended without the line awaited.\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no such line after ${timeoutMs} ms.\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const wake = (): void => void check();
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        if (!check()) waiters.add(wake);
      }),
  };
}
