import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * In `npm run dev` only: the dev server injects an inline script (React refresh) and talks over a
 * websocket, which the strict CSP of index.html forbids. The built app keeps the strict policy.
 */
function devServerCsp(): Plugin {
  return {
    name: 'mail-settings-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'none'", "connect-src 'self' ws://localhost:*"),
  };
}

// One build for the three processes. The CLI is a second entry of the main build: it runs the same
// services in plain Node, without Electron. The retrieval worker is a third: a worker thread starts from a
// file of its own (src/main/inbox/retrieval/retrieval-worker-location.ts finds it beside the main files).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/electron/main.ts'),
          cli: resolve(import.meta.dirname, 'src/main/cli/main.ts'),
          'retrieval-worker': resolve(import.meta.dirname, 'src/main/inbox/retrieval/retrieval-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron'): bundle everything else into it.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
    plugins: [react(), devServerCsp()],
  },
});
