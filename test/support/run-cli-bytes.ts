import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliBuild } from './build-freshness';
import { ensureFreshBuild } from './run-cli';

/** What the built CLI wrote, as bytes: for output that is not text (`records raw`). */
export interface CliBytesResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** As run-cli.ts: a CLI that hangs is killed before the test's own timeout, and reported. */
const timeLimitMs = 25_000;

/** Runs the built CLI with stdin closed and keeps its stdout byte for byte (no decoding, no line splitting). */
export async function runCliForBytes(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliBytesResult> {
  await ensureFreshBuild();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(cliBuild.root, 'bin/mail-settings.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const limit = setTimeout(() => {
      stderr += `\n[run-cli-bytes] killed: still running after ${timeLimitMs} ms`;
      child.kill('SIGKILL');
    }, timeLimitMs);
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(limit);
      resolve({ code: code ?? -1, stdout: Buffer.concat(stdout), stderr });
    });
  });
}
