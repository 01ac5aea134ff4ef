/**
 * Starts the retrieval worker from the TypeScript sources (under vitest; never in a build, where
 * retrieval-worker.ts is bundled with its imports). The sources import each other without extensions, as
 * the bundler resolves them; Node needs to be told: a relative import that is not found is tried as
 * `.ts` and `/index.ts`. Hooks registered here apply to this thread only.
 */
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      if (!relative || (error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
        try {
          return nextResolve(candidate, context);
        } catch {
          // the next candidate
        }
      }
      throw error;
    }
  },
});

await import(new URL('./retrieval-worker.ts', import.meta.url).href);
