import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { builtRendererDir, rendererSourceDir } from './paths';

/**
 * The e2e tests drive the production build of the window (out/renderer), as `mail-settings ui` serves it:
 * refuse to start without it, and say so when a source file is newer than it.
 */
export async function requireBuiltRenderer(): Promise<string> {
  const indexPath = join(builtRendererDir, 'index.html');
  await access(indexPath).catch(() => {
    throw new Error(`The built renderer is missing (${indexPath}). The e2e tests drive the production build: run \`npx electron-vite build\` (npm test does it) and try again.`);
  });
  await warnIfStale(indexPath);
  return builtRendererDir;
}

/** Testing an old build by mistake wastes an afternoon: say so when a source file is newer than it. */
async function warnIfStale(indexPath: string): Promise<void> {
  const built = (await stat(indexPath)).mtimeMs;
  const sources = await readdir(rendererSourceDir, { recursive: true, withFileTypes: true });
  for (const entry of sources) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await stat(path)).mtimeMs > built) {
      console.warn(`[e2e] ${path} is newer than the built renderer: run \`npx electron-vite build\` to test your latest change.`);
      return;
    }
  }
}
