import path, { type PlatformPath } from 'node:path';
import { appHost, appScheme } from './app-url';

/** The types of what the renderer build holds; anything else is not served. */
const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

export interface RendererFile {
  readonly path: string;
  readonly contentType: string;
}

/**
 * The built renderer file an `app://mail-settings/…` request names, or null (a 404): only files inside
 * `rendererDir`, of a known type. The path is decoded first and then checked, segment by segment and once
 * resolved, so that neither `..` nor `%2e%2e` nor an encoded separator (`%2f`, `%5c`) nor a drive letter can
 * leave the folder. `paths` is a parameter so that the Windows rules are tested everywhere.
 */
export function rendererFileFor(requestUrl: string, rendererDir: string, paths: PlatformPath = path): RendererFile | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return null;
  // The app's own URLs never hold an encoded slash: one that does is probing the folder's edges.
  if (/%2f/i.test(url.pathname)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // A backslash is a separator on Windows, a colon starts a drive or a stream, NUL ends a C string.
  if (/[\\:\0]/.test(decoded)) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) return null;
  const relative = segments.length === 0 ? 'index.html' : segments.join(paths.sep);
  const root = paths.resolve(rendererDir);
  const file = paths.resolve(root, relative);
  const inside = paths.relative(root, file);
  if (inside === '' || inside.startsWith('..') || paths.isAbsolute(inside)) return null;
  const contentType = contentTypes[paths.extname(file).toLowerCase()];
  return contentType ? { path: file, contentType } : null;
}
