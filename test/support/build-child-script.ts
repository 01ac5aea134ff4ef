import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'vite';

const root = join(import.meta.dirname, '../..');

/** A child-process script compiled to one JavaScript file (the project's sources inlined, packages imported). */
export interface BuiltChildScript {
  readonly entry: string;
  dispose(): Promise<void>;
}

/**
 * Compiles a script under test/support with vite (SSR build: packages stay imports) into a temp dir that
 * links to the project's node_modules, so a plain `node` child runs the project's TypeScript, JSON
 * imports included, and starts quickly.
 */
export async function buildChildScript(sourcePath: string): Promise<BuiltChildScript> {
  const outDir = await mkdtemp(join(tmpdir(), 'mail-settings-child-'));
  const name = basename(sourcePath).replace(/\.ts$/, '.mjs');
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      ssr: sourcePath,
      outDir,
      emptyOutDir: false,
      minify: false,
      target: 'node22',
      rolldownOptions: { output: { format: 'esm', entryFileNames: name } },
    },
  });
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return { entry: join(outDir, name), dispose: () => rm(outDir, { recursive: true, force: true }) };
}
