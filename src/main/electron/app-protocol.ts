import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { appScheme } from './app-url';
import { rendererFileFor } from './renderer-files';

/**
 * `app:` as a standard, secure scheme: pages on it get an origin (`app://mail-settings`) for the CSP's
 * 'self', relative URLs and module scripts, count as a secure context, and may use fetch. Electron requires
 * this before the app is ready (protocol.registerSchemesAsPrivileged). `corsEnabled` stays off: same-origin
 * module scripts load without it, and without it no other origin can read the app's files.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Serves the renderer on `app://mail-settings/` from `rendererDir` and nothing else: the page never runs from
 * `file:`, whose pages may read other local files. Electron's documented way: protocol.handle with net.fetch
 * of the file: URL (which also reads inside app.asar).
 */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const file = rendererFileFor(request.url, rendererDir);
    if (!file) return notFound();
    try {
      const response = await net.fetch(pathToFileURL(file.path).href);
      if (!response.ok) return notFound();
      return new Response(response.body, { status: 200, headers: { 'content-type': file.contentType, 'x-content-type-options': 'nosniff' } });
    } catch {
      return notFound();
    }
  });
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
