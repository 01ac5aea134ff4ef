import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { builtRendererDir, rendererSourceDir } from './paths';

export interface RendererServer {
  /** The page's URL, e.g. http://127.0.0.1:41234/index.html */
  readonly url: string;
  /** The Content-Security-Policy every response carries (the one of the built index.html). */
  readonly csp: string;
  close(): Promise<void>;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Serves the BUILT renderer (what Electron loads from out/renderer) on loopback. The CSP is read from the
 * built index.html's meta tag and sent as a header as well, so the browser enforces the app's own policy
 * and the two can never drift apart.
 */
export async function startRendererServer(): Promise<RendererServer> {
  const indexPath = join(builtRendererDir, 'index.html');
  const indexHtml = await readFile(indexPath, 'utf8').catch(() => {
    throw new Error(
      `The built renderer is missing (${indexPath}). The e2e tests drive the production build: run \`npx electron-vite build\` (npm test does it) and try again.`,
    );
  });
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(indexHtml)?.[1];
  if (csp === undefined) throw new Error(`${indexPath} has no Content-Security-Policy meta tag: the renderer must declare its CSP.`);
  await warnIfStale(indexPath);

  const server = createServer((request, response) => {
    void (async () => {
      const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      // Browsers ask for one on their own; Electron doesn't. "No content" keeps the console clean.
      if (pathname === '/favicon.ico') {
        response.writeHead(204).end();
        return;
      }
      const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
      const file = join(builtRendererDir, relative);
      // Nothing outside out/renderer, whatever the path says.
      if (!file.startsWith(builtRendererDir + sep) || request.method !== 'GET') {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        response.writeHead(200, {
          'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': csp,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        });
        response.end(body);
      } catch {
        response.writeHead(404).end();
      }
    })();
  });
  await listen(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The renderer server has no TCP address.');
  return {
    url: `http://127.0.0.1:${address.port}/index.html`,
    csp,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
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
