import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliBuild, staleBuildReason } from './build-freshness';

/** bin/mail-settings.js loads the build (out/main/cli.js): every CLI test runs the built code. */
const bin = join(cliBuild.root, 'bin/mail-settings.js');

/**
 * Just under the integration tests' 30 s test timeout: a CLI that hangs is killed and reported, rather
 * than failing the test by its timeout and outliving the run.
 */
const defaultTimeLimitMs = 25_000;

export interface CliOptions {
  /** Piped to the CLI, then closed (an empty stdin is at its end at once, as in a cron job). */
  readonly stdin?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Each stdout line as it arrives (a sign-in link is printed long before the CLI exits). */
  readonly onLine?: (line: string) => void;
  /** After this, the CLI is killed and `exitedInTime` is false. */
  readonly timeLimitMs?: number;
}

export interface CliResult {
  /** The exit code; -1 when the CLI was killed. */
  readonly code: number;
  readonly stdout: string;
  /** stdout split into lines (without their line ends). */
  readonly lines: readonly string[];
  readonly stderr: string;
  readonly exitedInTime: boolean;
}

let freshBuild: Promise<void> | undefined;

/**
 * Rejects, once for the whole file, when out/ is missing or older than src/main or src/shared: the CLI
 * tests would otherwise pass or fail for code that is no longer there.
 */
export function ensureFreshBuild(): Promise<void> {
  freshBuild ??= staleBuildReason(cliBuild).then((reason) => {
    if (reason) throw new Error(reason);
  });
  return freshBuild;
}

/** Runs the built CLI as a script or a cron job would: stdin piped in, stdout and stderr captured. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  await ensureFreshBuild();
  const { stdin = '', env = process.env, onLine = () => undefined, timeLimitMs = defaultTimeLimitMs } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let partialLine = '';
    const lines: string[] = [];
    const line = (text: string): void => {
      const complete = text.endsWith('\r') ? text.slice(0, -1) : text;
      lines.push(complete);
      onLine(complete);
    };
    let exitedInTime = true;
    const limit = setTimeout(() => {
      exitedInTime = false;
      child.kill('SIGKILL');
    }, timeLimitMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const parts = (partialLine + chunk).split('\n');
      partialLine = parts.pop() ?? '';
      parts.forEach(line);
    });
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(limit);
      if (partialLine) line(partialLine);
      if (!exitedInTime) stderr += `\n[run-cli] killed: still running after ${timeLimitMs} ms`;
      resolve({ code: code ?? -1, stdout, lines, stderr, exitedInTime });
    });
    // A CLI that exits before reading its stdin closes the pipe: that is not the test's failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

const shellQuoted = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`;

/**
 * Runs the built CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal would. Once the
 * prompt shows (or after 2 s, for a CLI that prompts nothing), `typed` is sent to the terminal.
 * Resolves with everything the terminal displayed: the CLI's output and whatever the terminal echoed.
 */
export async function runCliOnTerminal(args: readonly string[], prompt: string, typed: string): Promise<{ code: number; screen: string }> {
  await ensureFreshBuild();
  return new Promise((resolve, reject) => {
    const command = [process.execPath, bin, ...args].map(shellQuoted).join(' ');
    const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let sent = false;
    const type = (): void => {
      if (sent) return;
      sent = true;
      child.stdin.write(typed);
    };
    const fallback = setTimeout(type, 2000);
    child.stdout.on('data', (chunk) => {
      screen += String(chunk);
      if (screen.includes(prompt)) type();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(fallback);
      resolve({ code: code ?? -1, screen });
    });
  });
}
