// Lets a plain `node` child process (Node >= 22.15) import the project's TypeScript sources the way vite
// does: extensionless relative imports resolve to `.ts` / `/index.ts`. Use with
// `node --experimental-transform-types --import <this file> script.ts` (transform, not strip: the
// sources use parameter properties). Child processes need this because keytar's D-Bus connection is
// per process, so "no keychain" can only be observed in a separate process.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      if (!relative || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
      for (const candidate of [`${specifier}.ts`, `${specifier}.tsx`, `${specifier}/index.ts`]) {
        try {
          return nextResolve(candidate, context);
        } catch {
          // try the next candidate
        }
      }
      throw error;
    }
  },
});
