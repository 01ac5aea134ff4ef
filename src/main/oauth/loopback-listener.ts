import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the identity provider sent back to the loopback redirect (RFC 6749 §4.1.2, RFC 9207). */
export type AuthorizationResponse =
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'error'; readonly error: string; readonly description: string | null };

/** How the `iss` of an authorization response is checked (RFC 9207). */
export type IssuerCheck =
  /** The server never sends `iss` (Entra): nothing to compare. */
  | { readonly kind: 'none' }
  /** When the response carries `iss`, it must be this issuer (RFC 9207 §2.4, simple string comparison). */
  | { readonly kind: 'when-present'; readonly issuer: string }
  /** The metadata says the server always sends `iss` (RFC 9207 §3): a response without it is refused (§2.4). */
  | { readonly kind: 'required'; readonly issuer: string };

export interface LoopbackOptions {
  /** The `state` sent in the authorization request; a callback without exactly this value is refused. */
  readonly expectedState: string;
  readonly issuerCheck: IssuerCheck;
  /**
   * The host name used in the redirect URI. Google registers `127.0.0.1`; Entra's "Mobile and desktop
   * applications" platform registers `http://localhost`, which is what admins enter in the portal (an
   * http 127.0.0.1 redirect can only be added by editing the app manifest, Microsoft Learn "Redirect URI
   * (reply URL) outline and restrictions"), so Office 365 keeps `localhost` and both loopback families
   * are listened on for it.
   */
  readonly redirectHost: 'localhost' | '127.0.0.1';
  /** The port to try first; 0 (the default) lets the system pick a free one. Taken, another one is picked. */
  readonly port?: number;
  /** The pages shown in the browser after the callback. */
  readonly pages: { readonly success: string; readonly failure: (message: string) => string };
}

export interface LoopbackListener {
  readonly redirectUri: string;
  readonly expectedState: string;
  /** Resolves with the first valid callback; the listener is closed by then. */
  readonly response: Promise<AuthorizationResponse>;
  close(): void;
}

export class LoopbackPortError extends Error {
  constructor(cause: unknown) {
    super(`Could not listen on the loopback address: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'LoopbackPortError';
  }
}

/**
 * The addresses a redirect host can reach. A browser resolves `localhost` to ::1 or to 127.0.0.1, in an
 * order of its own (RFC 6761 §6.3 only says both are loopback): if only one were ours, another local
 * program could listen on the other address, same port, and receive the code (RFC 8252 §8.3). So both
 * are bound on one port, or none is used.
 */
const addressesOf = { '127.0.0.1': ['127.0.0.1'], localhost: ['127.0.0.1', '::1'] } as const;

/** Ports tried before giving up when another program holds the chosen one on the second family. */
const portAttempts = 10;

/**
 * The native-app redirect listener of RFC 8252 §7.3: bound to the loopback address(es) the redirect URI
 * names only, on a random free port, serving exactly one valid callback (GET query or POST form_post),
 * then closed. A callback with the wrong or a missing state, or failing the `iss` check, is refused and
 * does not end the wait: a forged request cannot cancel a real sign-in.
 */
export async function startLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener> {
  let settle: (response: AuthorizationResponse) => void = () => undefined;
  const response = new Promise<AuthorizationResponse>((resolve) => (settle = resolve));
  let done = false;

  async function handle(request: IncomingMessage, reply: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/') return respond(reply, 404, 'Not found.');
    let params: URLSearchParams;
    if (request.method === 'GET') {
      params = url.searchParams;
    } else if (request.method === 'POST' && (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      params = new URLSearchParams(await readBody(request));
    } else {
      return respond(reply, 405, 'Method not allowed.');
    }
    if (!params.has('code') && !params.has('error')) return respond(reply, 404, 'Not found.');
    if (done) return respond(reply, 410, options.pages.failure('This sign-in has already finished.'));
    const states = params.getAll('state');
    if (states.length !== 1 || states[0] !== options.expectedState) {
      return respond(reply, 400, options.pages.failure('This sign-in link is not the one Mail Settings started. Start the sign-in again from Mail Settings.'));
    }
    if (!issuerAccepted(params.getAll('iss'), options.issuerCheck)) {
      return respond(reply, 400, options.pages.failure('The answer came from another sign-in service than the one Mail Settings asked. Start the sign-in again.'));
    }
    const error = params.get('error');
    const codes = params.getAll('code');
    done = true;
    // Stop listening once this last answer has reached the browser.
    reply.once('finish', close);
    if (error !== null) {
      respond(reply, 200, options.pages.failure('The sign-in did not complete. Return to Mail Settings for details.'));
      settle({ kind: 'error', error, description: params.get('error_description') });
    } else if (codes.length === 1 && codes[0]) {
      respond(reply, 200, options.pages.success);
      settle({ kind: 'code', code: codes[0] });
    } else {
      // An empty or repeated code (RFC 6749 §4.1.2 requires exactly one): nothing to redeem, and
      // waiting would only end in the timeout.
      respond(reply, 400, options.pages.failure('The sign-in service sent back no usable sign-in code. Return to Mail Settings and start the sign-in again.'));
      settle({ kind: 'error', error: 'invalid_request', description: 'The sign-in service answered without a usable authorization code.' });
    }
  }

  const createListeningServer = (): Server => createServer((request, reply) => void handle(request, reply));
  const { servers, port } = await listenOnLoopback(addressesOf[options.redirectHost], options.port ?? 0, createListeningServer);

  function close(): void {
    for (const server of servers) {
      if (!server.listening) continue;
      server.close();
      server.closeAllConnections();
    }
  }

  return { redirectUri: `http://${options.redirectHost}:${port}/`, expectedState: options.expectedState, response, close };
}

function issuerAccepted(values: readonly string[], check: IssuerCheck): boolean {
  if (check.kind === 'none') return true;
  if (values.length === 0) return check.kind === 'when-present';
  return values.length === 1 && values[0] === check.issuer;
}

/**
 * Listens on every address on one port. The first address gets `firstPort` (0: any free one); a second
 * address whose port is taken by another program means a new port for both. A machine without IPv6
 * (the address or the family is unavailable) is listened on IPv4 only: nobody can take ::1 there either.
 */
async function listenOnLoopback(addresses: readonly string[], firstPort: number, create: () => Server): Promise<{ servers: Server[]; port: number }> {
  let port = firstPort;
  for (let attempt = 0; attempt < portAttempts; attempt += 1) {
    const servers: Server[] = [];
    let taken = false;
    for (const address of addresses) {
      const server = create();
      try {
        await listen(server, port, address);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (servers.length > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
        for (const opened of servers) opened.close();
        if (code !== 'EADDRINUSE') throw new LoopbackPortError(error);
        taken = true;
        break;
      }
      servers.push(server);
      port = (server.address() as AddressInfo).port;
    }
    if (!taken) return { servers, port };
    port = 0;
  }
  throw new LoopbackPortError(new Error(`every port tried was taken on ${addresses.join(' or ')}`));
}

function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
}

function respond(reply: ServerResponse, status: number, html: string): void {
  reply.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Referrer-Policy': 'no-referrer',
  });
  reply.end(html);
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > 64 * 1024) break; // an authorization response is small; refuse to buffer more
  }
  return body;
}
