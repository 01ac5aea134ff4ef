import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built renderer (out/renderer) seen from where this module runs: bundled into an entry of out/main,
 * or into a shared chunk one folder down (out/main/chunks); from the TypeScript sources (vitest), the
 * project's out/renderer. Null when it is not there (not built, or a broken installation).
 */
export async function locateBuiltRenderer(moduleUrl: string = import.meta.url): Promise<string | null> {
  const candidates = moduleUrl.endsWith('.ts') ? ['../../../out/renderer/'] : ['../renderer/', '../../renderer/'];
  for (const candidate of candidates) {
    const dir = fileURLToPath(new URL(candidate, moduleUrl));
    if (await access(join(dir, 'index.html')).then(() => true, () => false)) return dir;
  }
  return null;
}
