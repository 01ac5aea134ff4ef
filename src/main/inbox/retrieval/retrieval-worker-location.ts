import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Where the retrieval worker thread's code is, and how Node must start it. */
export interface RetrievalWorkerEntry {
  readonly url: URL;
  readonly execArgv: readonly string[] | undefined;
}

/**
 * Finds the worker's entry from where this module runs:
 * - Built (the app, `npm run dev`, the CLI, any vite build with the worker as an entry): electron-vite
 *   writes the worker as its own entry, out/main/retrieval-worker.js. This module is bundled either into an
 *   entry beside it (out/main) or into a shared chunk one folder down (out/main/chunks), so both are tried.
 * - From the TypeScript sources (vitest): the worker starts on retrieval-worker-from-source.ts with
 *   Node's own TypeScript transform (Node 22 runs the tests; the sources use parameter properties, so
 *   transform, not strip).
 * Null when the built file is missing (a broken installation).
 */
export async function locateRetrievalWorker(moduleUrl: string = import.meta.url): Promise<RetrievalWorkerEntry | null> {
  if (moduleUrl.endsWith('.ts')) {
    return { url: new URL('./retrieval-worker-from-source.ts', moduleUrl), execArgv: ['--experimental-transform-types', '--no-warnings'] };
  }
  for (const url of builtWorkerPlaces(moduleUrl)) {
    // A built worker inherits the process's own flags (Electron's, the CLI's).
    if (await access(fileURLToPath(url)).then(() => true, () => false)) return { url, execArgv: undefined };
  }
  return null;
}

/** Where a built worker may be, beside this module or one folder up; also for the error that says it is missing. */
export function builtWorkerPlaces(moduleUrl: string = import.meta.url): URL[] {
  return ['./retrieval-worker.js', '../retrieval-worker.js'].map((candidate) => new URL(candidate, moduleUrl));
}
