import { spawn, execFile, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { access, constants, open, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Process plumbing shared by the test bed: every server it starts is a direct child whose pid we keep,
 * stopped by that pid (never by name: other engineers run their own servers on the same machine).
 */

/** A binary the test bed needs, and the Debian package that provides it (for a clear error). */
export interface NeededBinary {
  readonly path: string;
  readonly debianPackage: string;
}

/** Throws one error naming every missing Debian package, so a fresh machine is fixed in one apt-get. */
export async function requireBinaries(binaries: readonly NeededBinary[]): Promise<void> {
  const missing: string[] = [];
  for (const binary of binaries) {
    try {
      await access(binary.path, constants.X_OK);
    } catch {
      missing.push(`${binary.debianPackage} (${binary.path})`);
    }
  }
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((m) => m.split(' ')[0]))].join(' ');
    throw new Error(
      `The test bed needs Debian packages that are missing: ${missing.join(', ')}. ` +
        `Install them with: sudo apt-get install --no-install-recommends ${packages}`,
    );
  }
}

/** Asks the kernel for a free loopback port (bind to 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Polls `check` until it returns a value other than undefined/false, or fails with `what` in the message. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 15_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

/** Runs a command to completion; resolves stdout, rejects with stderr in the message. */
export function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: options.env ?? process.env, cwd: options.cwd, timeout: options.timeoutMs ?? 15_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}${stderr ? `\n${stderr}` : ''}`, { cause: error }));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
    // A command that never reads stdin may exit before we write: ignore EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/** A long-running child we started; stop() ends it by pid and waits until it has exited. */
export interface TrackedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
  stop(timeoutMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Pids the watchdog must kill if this process dies without teardown (see startWatchdog). */
let watchdogPidFile: string | undefined;
let pidFileWrite: Promise<void> = Promise.resolve();

function recordLivePids(): Promise<void> {
  const file = watchdogPidFile;
  if (file === undefined) return Promise.resolve();
  const pids = [...live].flatMap((child) => (child.pid === undefined ? [] : [String(child.pid)])).join('\n');
  // Serialized: an older list must never overwrite a newer one.
  pidFileWrite = pidFileWrite.then(() => writeFile(file, `${pids}\n`)).catch(() => undefined);
  return pidFileWrite;
}

const watchdogScript = `
parent=$1; pidfile=$2; dir=$3
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
[ -f "$pidfile" ] && kill -TERM $(cat "$pidfile") 2>/dev/null
sleep 3
[ -f "$pidfile" ] && kill -KILL $(cat "$pidfile") 2>/dev/null
rm -rf "$dir"
`;

/**
 * A tiny detached shell that outlives us: if the test runner is killed outright (SIGKILL, a CI
 * timeout), it stops every server we started and removes the temp dir, so nothing keeps holding ports
 * on the machine. Normal teardown stops it first, by its process group (it and its `sleep`).
 */
export async function startWatchdog(dir: string, pidFile: string): Promise<{ stop(): Promise<void> }> {
  watchdogPidFile = pidFile;
  await recordLivePids();
  const child = spawn('/bin/sh', ['-c', watchdogScript, 'testbed-watchdog', String(process.pid), pidFile, dir], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  const pid = child.pid;
  return {
    async stop() {
      watchdogPidFile = undefined;
      if (pid === undefined) return;
      try {
        // Negative pid: the watchdog's own process group (detached made it the leader).
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}

/**
 * Last resort if the runner dies without teardown (an uncaught error, Ctrl-C): kill what is still
 * running, synchronously, so a crashed run leaves no servers holding ports.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });
}

/**
 * Starts a long-running server in the foreground (so its pid is ours to stop), with stdout and stderr
 * appended to `logPath` (files, not pipes: a server never blocks on a full pipe nobody reads).
 */
export async function startProcess(
  name: string,
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; logPath: string; stdinText?: string; cwd?: string },
): Promise<TrackedProcess> {
  installExitHook();
  const log = await open(options.logPath, 'a');
  const spawnOptions: SpawnOptions = {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: [options.stdinText === undefined ? 'ignore' : 'pipe', log.fd, log.fd],
  };
  const child = spawn(file, args, spawnOptions);
  // Listen before awaiting anything: 'spawn' fires on the next tick.
  const spawnedPromise = new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error) => resolve(error));
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      void recordLivePids();
      resolve(code);
    });
  });
  // The child has its own copy of the descriptor now.
  await log.close();
  const spawned = await spawnedPromise;
  if (spawned || child.pid === undefined) {
    throw new Error(`Could not start ${name} (${file}): ${spawned?.message ?? 'no pid'}`);
  }
  if (options.stdinText !== undefined) {
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.stdinText);
  }
  if (!child.killed && child.exitCode === null && child.signalCode === null) {
    live.add(child);
    await recordLivePids();
  }
  const pid = child.pid;
  return {
    name,
    pid,
    logPath: options.logPath,
    exited,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    async stop(timeoutMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
