import { createServer, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * The introspection bridge: what Dovecot's oauth2 passdb (introspection_mode = post) and our smtp-server
 * call to validate a bearer token. It asks the IdP's real RFC 7662 endpoint (as the admin client) and
 * answers `{active, username}`. Dovecot does not look at `exp` itself, so an expired or revoked token
 * must come back as `{"active": false}`, which is exactly what the IdP's introspection says.
 */
export interface RunningBridge {
  /** POST here with `token=<access token>` (application/x-www-form-urlencoded). */
  readonly url: string;
  stop(): Promise<void>;
}

export interface BridgeAnswer {
  readonly active: boolean;
  readonly username?: string;
  readonly scope?: string;
  readonly client_id?: string;
  readonly exp?: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** RFC 7662 call against the IdP, trusting the test CA explicitly (this process may predate NODE_EXTRA_CA_CERTS). */
function introspectAtIdp(options: { introspectionUrl: string; clientId: string; clientSecret: string; caPem: string }, token: string): Promise<Record<string, unknown>> {
  const body = new URLSearchParams({ token, token_type_hint: 'access_token' }).toString();
  const url = new URL(options.introspectionUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        ca: options.caPem,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`,
          accept: 'application/json',
        },
        timeout: 10_000,
      },
      (res) => {
        readBody(res)
          .then((text) => {
            if (res.statusCode !== 200) reject(new Error(`introspection answered ${res.statusCode}: ${text}`));
            else resolve(JSON.parse(text) as Record<string, unknown>);
          })
          .catch(reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('introspection timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function startBridge(options: { introspectionUrl: string; clientId: string; clientSecret: string; caPem: string }): Promise<RunningBridge> {
  const server = createServer((req, res) => {
    const answer = (status: number, value: BridgeAnswer | { error: string }): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    (async () => {
      const text = await readBody(req);
      const form = new URLSearchParams(text);
      // Dovecot posts token=...; also accept a bearer header for manual calls.
      const token = form.get('token') ?? /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (token === '') return answer(200, { active: false });
      const result = await introspectAtIdp(options, token);
      if (result['active'] !== true) return answer(200, { active: false });
      return answer(200, {
        active: true,
        username: typeof result['sub'] === 'string' ? result['sub'] : undefined,
        scope: typeof result['scope'] === 'string' ? result['scope'] : undefined,
        client_id: typeof result['client_id'] === 'string' ? result['client_id'] : undefined,
        exp: typeof result['exp'] === 'number' ? result['exp'] : undefined,
      });
    })().catch((error: unknown) => answer(502, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/introspect`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Asks the bridge about a token (used by smtp-server; tests may call it too). */
export function askBridge(bridgeUrl: string, token: string): Promise<BridgeAnswer> {
  const body = new URLSearchParams({ token }).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      bridgeUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }, timeout: 10_000 },
      (res) => {
        readBody(res)
          .then((text) => {
            if (res.statusCode !== 200) reject(new Error(`bridge answered ${res.statusCode}: ${text}`));
            else resolve(JSON.parse(text) as BridgeAnswer);
          })
          .catch(reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('bridge timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
