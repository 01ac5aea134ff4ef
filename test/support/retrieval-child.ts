import { fork } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { RetrievalProgress, RetrievalRequest, RetrievalSummary } from '../../src/main/inbox/retrieval/retrieval-types';
import type { Result } from '../../src/shared/errors';

const root = join(import.meta.dirname, '../..');

export interface ChildRetrieval {
  readonly events: readonly RetrievalProgress[];
  /** The run's result; null when it was killed first. */
  readonly result: Result<RetrievalSummary> | null;
  /** The event after which SIGKILL was sent, if it was. */
  readonly killedAfter: RetrievalProgress | null;
  readonly stderr: string;
}

export interface ChildOptions {
  /** Sends SIGKILL right after the event for which this returns true. */
  readonly killWhen?: (event: RetrievalProgress, index: number) => boolean;
  /**
   * 'paused': the child waits after each event for the parent's go-ahead, so a kill lands exactly after
   * that event. 'running' (default): the child goes on at once, so a kill lands wherever it has got
   * to by then (inside a FETCH, a transaction, an EXPUNGE …).
   */
  readonly mode?: 'paused' | 'running';
}

/** A child process that has loaded the retrieval code and waits for its request. */
export interface RetrievalChild {
  run(request: RetrievalRequest, options?: ChildOptions): Promise<ChildRetrieval>;
}

/** The retrieval child compiled to one JavaScript file (the project's sources inlined, packages imported). */
export interface BuiltRetrievalChild {
  readonly entry: string;
  dispose(): Promise<void>;
}

/**
 * Compiles test/support/retrieve-inbox-child.ts once with vite (SSR build: packages stay imports) into
 * a temp dir that links to the project's node_modules. A child then starts in about a quarter of the
 * CPU time Node's own TypeScript transform takes, which matters for a test that starts twenty of them.
 */
export async function buildRetrievalChild(): Promise<BuiltRetrievalChild> {
  const outDir = await mkdtemp(join(tmpdir(), 'mail-settings-retrieval-child-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      ssr: join(root, 'test/support/retrieve-inbox-child.ts'),
      outDir,
      emptyOutDir: false,
      minify: false,
      target: 'node22',
      rolldownOptions: { output: { format: 'esm', entryFileNames: 'retrieve-inbox-child.mjs' } },
    },
  });
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return { entry: join(outDir, 'retrieve-inbox-child.mjs'), dispose: () => rm(outDir, { recursive: true, force: true }) };
}

/**
 * Starts a child Node process on the compiled retrieval child. It loads its modules at once and starts
 * retrieving only when run() sends the request, so a test can start the next child while the current
 * one works. With `killWhen`, the child is killed with SIGKILL (no cleanup of any kind: no lock
 * release, no logout, no rollback) at that point.
 */
export function startRetrievalChild(built: BuiltRetrievalChild): RetrievalChild {
  const childProcess = fork(built.entry, [], { cwd: root, execArgv: ['--no-warnings'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const events: RetrievalProgress[] = [];
  let result: Result<RetrievalSummary> | null = null;
  let killedAfter: RetrievalProgress | null = null;
  let options: ChildOptions = {};
  let stderr = '';
  childProcess.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  childProcess.on('message', (message: { progress?: RetrievalProgress; result?: Result<RetrievalSummary> }) => {
    if (killedAfter !== null) return;
    if (message.result) result = message.result;
    if (!message.progress) return;
    events.push(message.progress);
    if (options.killWhen?.(message.progress, events.length - 1)) {
      killedAfter = message.progress;
      childProcess.kill('SIGKILL');
    } else if (options.mode === 'paused') {
      childProcess.send('continue');
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    childProcess.once('error', reject);
    childProcess.once('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    run: async (request, runOptions = {}) => {
      options = runOptions;
      childProcess.send({ request, lockstep: options.mode === 'paused' });
      const { code, signal } = await exited;
      if (killedAfter === null && (code !== 0 || result === null)) throw new Error(`retrieval child exited with ${code ?? signal}: ${stderr}`);
      return { events, result: killedAfter === null ? result : null, killedAfter, stderr };
    },
  };
}

/** Runs one retrieval in a child process (see startRetrievalChild). */
export function runRetrievalChild(built: BuiltRetrievalChild, request: RetrievalRequest, options: ChildOptions = {}): Promise<ChildRetrieval> {
  return startRetrievalChild(built).run(request, options);
}
