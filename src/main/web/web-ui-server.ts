import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { finished } from 'node:stream/promises';
import { fail, type Result } from '../../shared/errors';
import type { ChosenAttachment } from '../../shared/test-email';
import { webUiPaths } from '../../shared/web-ui';
import { appHost, appScheme } from '../electron/app-url';
import { rendererFileFor } from '../electron/renderer-files';
import { notAttached, refusalError } from '../files/refused-file';
import { fileSizeLimit } from '../files/size-limits';
import { safeFileName } from '../inbox/parse/safe-file-name';
import type { Dispatch } from '../ipc/dispatch';
import { streamEvents, type SubscribeToEvents } from './event-stream';
import { createLaunchSecret, isLaunchSecret } from './launch-secret';
import { loadRendererPage, type RendererPage } from './renderer-page';
import { readBody } from './request-body';
import { declaredLength, hasMediaType, isOwnHost, isOwnOrigin, ownAddressOf, type OwnAddress } from './request-guards';
import { createUploadFolder, type UploadFolder } from './upload-folder';

export interface WebUiOptions {
  /** The built renderer (out/renderer): the desktop app's page, served as it is but for its CSP's connect-src. */
  readonly rendererDir: string;
  /** The runtime's dispatcher: the same zod-checked handler table as the desktop app's IPC. */
  readonly dispatch: Dispatch;
  readonly subscribe: SubscribeToEvents;
  /** Handles for files uploaded from the browser, with the checks of "Attach files…" (ChosenAttachments.adopt). */
  readonly adoptAttachments: (paths: readonly string[]) => Promise<Result<ChosenAttachment[]>>;
  /** 0 or absent: a free port the system picks. */
  readonly port?: number;
}

export interface WebUi {
  /** `http://127.0.0.1:<port>/<secret>/`: the only address that opens the page. */
  readonly url: string;
  /** Ends every connection (the pages' event streams too) and removes the uploaded files. */
  close(): Promise<void>;
}

/**
 * The largest API request body: the contract's largest request is a test email with 5,000,000 characters of
 * HTML, which JSON may write with up to 6 bytes each (`\u0001`); 32 MiB holds it with its other fields.
 */
const maxCallBytes = 32 * 1024 * 1024;

/**
 * `mail-settings ui`: the Mail Settings window in the user's browser. Serves the built renderer and the IPC
 * contract over HTTP on 127.0.0.1 only, for one launch, guarded the way a local web app must be:
 * - a secret per launch (src/shared/web-ui.ts): the first path segment of the page, and a header on every
 *   API call; anything without it gets 401 and an empty body. Not a cookie: cookies for 127.0.0.1 go to
 *   every port of it (RFC 6265 §8.5), so any other local web service the browser visits would get it;
 * - the Host header must be this address and port (421 otherwise: DNS rebinding);
 * - every API call is a POST whose Origin is this page's (403 otherwise: cross-site request forgery), with
 *   its declared body type (415) and size (413);
 * - every response carries the app's CSP (with `connect-src 'self'`), nosniff, no-store, no referrer, and
 *   may neither be framed nor read by another origin.
 */
export async function startWebUi(options: WebUiOptions): Promise<WebUi> {
  const page = await loadRendererPage(options.rendererDir);
  const uploads = await createUploadFolder();
  const secret = createLaunchSecret();
  const server = createServer();
  try {
    await listen(server, options.port ?? 0);
  } catch (error) {
    await uploads.remove();
    throw error;
  }
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The Mail Settings web server has no TCP address.');
  const context: RequestContext = { options, page, uploads, secret, own: ownAddressOf(address.port) };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(context, request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else refuse(response, 500);
    });
  });
  return {
    url: `${context.own.origin}/${secret}/`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await uploads.remove();
    },
  };
}

interface RequestContext {
  readonly options: WebUiOptions;
  readonly page: RendererPage;
  readonly uploads: UploadFolder;
  readonly secret: string;
  readonly own: OwnAddress;
}

async function handle(context: RequestContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(securityHeaders(context.page))) response.setHeader(name, value);
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const pathname = queryStart < 0 ? target : target.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1));
  if (pathname.startsWith('/api/')) await handleApi(context, request, response, pathname, query);
  else await handlePage(context, request, response, pathname);
}

function securityHeaders(page: RendererPage): Record<string, string> {
  return {
    'Content-Security-Policy': page.headerCsp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    // The page's address holds the secret: it must not leave in a Referer.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** `/<secret>/` and the files of the built renderer under it; GET only. */
async function handlePage(context: RequestContext, request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
  const match = /^\/([^/]*)(\/.*)?$/.exec(pathname);
  if (!match || !isLaunchSecret(match[1], context.secret)) return refuse(response, 401);
  if (!isOwnHost(request, context.own)) return refuse(response, 421);
  if (request.method !== 'GET') return refuse(response, 405, { Allow: 'GET' });
  const rest = match[2];
  // The page's files are relative to it (./assets/…): its address must end with a slash.
  if (rest === undefined) return refuse(response, 308, { Location: `/${context.secret}/` });
  if (rest === '/' || rest === '/index.html') return send(response, 'text/html; charset=utf-8', context.page.html);
  // The desktop app's own rules for which file a path names: inside the renderer folder, of a known type.
  const file = rendererFileFor(`${appScheme}://${appHost}${rest}`, context.options.rendererDir);
  const bytes = file ? await readFile(file.path).catch(() => null) : null;
  if (!file || !bytes) return refuse(response, 404);
  return send(response, file.contentType, bytes);
}

async function handleApi(context: RequestContext, request: IncomingMessage, response: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> {
  const key = request.headers['x-mail-settings-key'];
  if (!isLaunchSecret(typeof key === 'string' ? key : undefined, context.secret)) return refuse(response, 401);
  if (!isOwnHost(request, context.own)) return refuse(response, 421);
  if (request.method !== 'POST') return refuse(response, 405, { Allow: 'POST' });
  if (!isOwnOrigin(request, context.own)) return refuse(response, 403);

  if (pathname.startsWith(webUiPaths.callPrefix)) {
    if (!hasMediaType(request, 'application/json')) return refuse(response, 415);
    const body = await readBody(request, maxCallBytes);
    if (body === null) return refuse(response, 413);
    const envelope = parseEnvelope(body);
    if (envelope === null) return refuse(response, 400);
    const channel = pathname.slice(webUiPaths.callPrefix.length);
    return sendJson(response, await context.options.dispatch(channel, envelope.request));
  }
  if (pathname === webUiPaths.events) {
    if (!hasMediaType(request, 'application/json')) return refuse(response, 415);
    if ((await readBody(request, 1024)) === null) return refuse(response, 413);
    return streamEvents(response, context.options.subscribe);
  }
  if (pathname === webUiPaths.attachments) return upload(context, request, response, query.get('name'));
  return refuse(response, 404);
}

/** One file from the browser's file picker: kept in the launch's private folder, then adopted as if chosen in main's dialog. */
async function upload(context: RequestContext, request: IncomingMessage, response: ServerResponse, name: string | null): Promise<void> {
  if (!hasMediaType(request, 'application/octet-stream')) return refuse(response, 415);
  if (name === null) return refuse(response, 400);
  const length = declaredLength(request);
  if (length === null) return refuse(response, 411);
  if (length > fileSizeLimit) {
    // Refused as main's dialog refuses a file that large. The bytes are read to the end but not kept: a
    // browser that is still sending when the connection closes reports a reset, not the answer.
    request.resume();
    await finished(request);
    return sendJson(response, fail(refusalError(safeFileName(name), 'too-large', notAttached)));
  }
  const path = await context.uploads.save(request, name);
  return sendJson(response, await context.options.adoptAttachments([path]));
}

/** `{"request": …}`: the request may be anything the page sent, `undefined` (no `request` key) included. */
function parseEnvelope(body: Buffer): { readonly request: unknown } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  return { request: (parsed as Record<string, unknown>)['request'] };
}

function sendJson(response: ServerResponse, value: unknown, headers: Record<string, string> = {}): void {
  send(response, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(value), 'utf8'), headers);
}

function send(response: ServerResponse, contentType: string, body: Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length, ...headers });
  response.end(body);
}

/**
 * A status and nothing else. The connection is closed after it: a refused request's body (perhaps large)
 * is not read.
 */
function refuse(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Length': 0, Connection: 'close', ...headers });
  response.end();
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
