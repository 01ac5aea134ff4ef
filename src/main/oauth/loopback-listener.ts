import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the identity provider sent back to the loopback redirect (RFC 6749 §4.1.2, RFC 9207). */
export type AuthorizationResponse =
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'error'; readonly error: string; readonly description: string | null };

export interface LoopbackOptions {
  /** The `state` sent in the authorization request; a callback without exactly this value is refused. */
  readonly expectedState: string;
  /** The authorization server's issuer; when the response carries `iss` (RFC 9207), it must match. */
  readonly expectedIssuer: string | null;
  /** The host name used in the redirect URI: Entra registers `localhost`, Google `127.0.0.1`. */
  readonly redirectHost: 'localhost' | '127.0.0.1';
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
    super(`Could not listen on 127.0.0.1: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'LoopbackPortError';
  }
}

/**
 * The native-app redirect listener of RFC 8252: bound to 127.0.0.1 only, on a random free port, serving
 * exactly one valid callback (GET query or POST form_post), then closed. A callback with the wrong or a
 * missing state, or with a foreign `iss`, is refused and does not end the wait: a forged request cannot
 * cancel a real sign-in.
 */
export async function startLoopbackListener(options: LoopbackOptions): Promise<LoopbackListener> {
  let settle: (response: AuthorizationResponse) => void = () => undefined;
  const response = new Promise<AuthorizationResponse>((resolve) => (settle = resolve));
  let done = false;

  const server: Server = createServer((request, reply) => {
    void handle(request, reply);
  });

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
    const issuer = params.get('iss');
    if (issuer !== null && options.expectedIssuer !== null && issuer !== options.expectedIssuer) {
      return respond(reply, 400, options.pages.failure('The answer came from another sign-in service than the one Mail Settings asked. Start the sign-in again.'));
    }
    const error = params.get('error');
    const code = params.get('code');
    done = true;
    // Stop listening once this last answer has reached the browser.
    reply.once('finish', close);
    if (error !== null) {
      respond(reply, 200, options.pages.failure('The sign-in did not complete. Return to Mail Settings for details.'));
      settle({ kind: 'error', error, description: params.get('error_description') });
    } else if (code) {
      respond(reply, 200, options.pages.success);
      settle({ kind: 'code', code });
    }
  }

  function close(): void {
    if (!server.listening) return;
    server.close();
    server.closeAllConnections();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new LoopbackPortError(error)));
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://${options.redirectHost}:${port}/`, expectedState: options.expectedState, response, close };
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
