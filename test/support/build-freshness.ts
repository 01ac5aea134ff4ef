import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** A build output and the sources it is built from, as paths relative to `root`. */
export interface BuildLayout {
  readonly root: string;
  readonly builtEntry: string;
  readonly sourceDirs: readonly string[];
}

/**
 * The CLI: electron-vite bundles src/main (which imports src/shared) into out/main/cli.js. bin/ is not in
 * the list: bin/mail-settings.js runs from the source tree as it is, so editing it needs no rebuild.
 */
export const cliBuild: BuildLayout = {
  root: join(import.meta.dirname, '../..'),
  builtEntry: 'out/main/cli.js',
  sourceDirs: ['src/main', 'src/shared'],
};

const rebuild = 'run `npx electron-vite build` (npm test builds first)';

/**
 * Why the build in `layout` cannot be trusted to be the sources' (missing, or older than the newest source
 * file), or null when it is at least as new as every source. A test of the CLI against an old build would
 * pass or fail for code that is no longer there.
 */
export async function staleBuildReason(layout: BuildLayout): Promise<string | null> {
  const built = await stat(join(layout.root, layout.builtEntry)).catch(() => null);
  if (!built) return `The CLI is not built (${layout.builtEntry} is missing): ${rebuild}.`;
  const newest = await newestFileUnder(layout.sourceDirs.map((dir) => join(layout.root, dir)));
  if (!newest || newest.mtimeMs <= built.mtimeMs) return null;
  return `The built CLI (${layout.builtEntry}) is older than ${relative(layout.root, newest.path)} (changed ${new Date(newest.mtimeMs).toISOString()}): ${rebuild}.`;
}

/** The most recently modified file under `dirs` (recursively), or null when there is none. */
async function newestFileUnder(dirs: readonly string[]): Promise<{ readonly path: string; readonly mtimeMs: number } | null> {
  let newest: { path: string; mtimeMs: number } | null = null;
  for (const dir of dirs) {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const { mtimeMs } = await stat(path);
      if (!newest || mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}
