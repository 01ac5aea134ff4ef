import { fork } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { BenchCommand, BenchFigures } from './retrieval-bench-child';

const root = join(import.meta.dirname, '../..');

export interface BuiltBenchChild {
  readonly entry: string;
  dispose(): Promise<void>;
}

/**
 * Compiles retrieval-bench-child.ts and the retrieval worker's entry as two entries of one vite SSR build
 * (packages stay imports), laid out as electron-vite lays out out/main: entries side by side, shared
 * code in chunks/. The child then runs compiled code only, and finds its worker as the built app does.
 */
export async function buildBenchChild(): Promise<BuiltBenchChild> {
  const outDir = await mkdtemp(join(tmpdir(), 'mail-settings-retrieval-bench-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      ssr: true,
      outDir,
      emptyOutDir: false,
      minify: false,
      target: 'node22',
      rolldownOptions: {
        input: {
          'retrieval-bench-child': join(root, 'test/support/retrieval-bench-child.ts'),
          'retrieval-worker': join(root, 'src/main/inbox/retrieval/retrieval-worker.ts'),
        },
        output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return { entry: join(outDir, 'retrieval-bench-child.js'), dispose: () => rm(outDir, { recursive: true, force: true }) };
}

/** Runs one measured retrieval in a fresh child process. */
export function runBenchChild(built: BuiltBenchChild, command: BenchCommand): Promise<BenchFigures> {
  const child = fork(built.entry, [], { cwd: root, execArgv: ['--no-warnings'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let figures: BenchFigures | null = null;
    child.once('message', (message) => (figures = message as BenchFigures));
    child.once('error', reject);
    child.once('close', (code, signal) => (figures ? resolve(figures) : reject(new Error(`bench child exited with ${code ?? signal} before reporting`))));
    child.send(command);
  });
}
