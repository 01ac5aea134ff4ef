import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RendererPage {
  /** The built index.html, its CSP allowing the page to call back to its own origin. */
  readonly html: Buffer;
  /** The policy every response carries as a header: the page's own, plus what only a header can say. */
  readonly headerCsp: string;
}

const cspMeta = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]+)(")/;

/**
 * The desktop app's page, for a browser. The built index.html declares the app's CSP in a meta tag with
 * `connect-src 'none'` (in Electron the page talks to main over IPC only). A browser enforces both a meta
 * and a header policy (CSP3 §4.2: every policy must allow a request), so the meta itself is rewritten to
 * `connect-src 'self'`, its one change: the API is on the page's own origin. Every other directive stays as
 * built; script-src is never touched. The header adds `frame-ancestors 'none'`, which a meta policy cannot
 * carry (CSP3 §6.4.2).
 */
export async function loadRendererPage(rendererDir: string): Promise<RendererPage> {
  const indexPath = join(rendererDir, 'index.html');
  const built = await readFile(indexPath, 'utf8').catch(() => {
    throw new Error(`The built Mail Settings window is missing (${indexPath}). Build it with \`npm run build\` and try again.`);
  });
  const match = cspMeta.exec(built);
  if (!match?.[2]) throw new Error(`${indexPath} has no Content-Security-Policy meta tag: the window must declare its policy.`);
  const csp = withOwnOriginConnect(match[2]);
  return {
    html: Buffer.from(built.replace(cspMeta, (_whole, before: string, _policy: string, after: string) => `${before}${csp}${after}`), 'utf8'),
    headerCsp: `${csp}; frame-ancestors 'none'`,
  };
}

/** The policy with `connect-src 'self'` in place of its connect-src (added at the end if it had none). */
export function withOwnOriginConnect(policy: string): string {
  const directives = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '');
  const isConnectSrc = (directive: string): boolean => directive.split(/\s+/)[0]?.toLowerCase() === 'connect-src';
  const ownOrigin = "connect-src 'self'";
  const rewritten = directives.map((directive) => (isConnectSrc(directive) ? ownOrigin : directive));
  return (directives.some(isConnectSrc) ? rewritten : [...rewritten, ownOrigin]).join('; ');
}
