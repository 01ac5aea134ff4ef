import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningIdp, SizedTokenKind, TtlKind } from './idp';
import type { UserDirectory } from './users';

/**
 * The test-control API: a plain-HTTP JSON server on 127.0.0.1 through which tests (in vitest workers,
 * other processes than the global setup) change the state of the servers the global setup owns:
 * add users, change token lifetimes, read the token-endpoint log, revoke a user, list issued tokens.
 * Client side: `idpControl` and `addUser` in client.ts.
 */
export interface RunningControl {
  readonly url: string;
  stop(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  return value as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body ?? null));
}

export async function startControl(options: { users: UserDirectory; idp: RunningIdp }): Promise<RunningControl> {
  const { users, idp } = options;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://control');
    const user = searchParams.get('user') ?? undefined;
    const key = `${req.method ?? 'GET'} ${pathname}`;
    switch (key) {
      case 'GET /health':
        return send(res, 200, { ok: true });
      case 'GET /users':
        return send(res, 200, users.list());
      case 'POST /users': {
        const body = await readJson(req);
        if (typeof body['email'] !== 'string') return send(res, 400, { error: 'email is required' });
        return send(res, 200, await users.add(body['email'], typeof body['password'] === 'string' ? body['password'] : undefined));
      }
      // ?user=<email> scopes a lifetime change to that user's tokens.
      case 'GET /idp/ttl':
        return send(res, 200, idp.ttl(user));
      case 'PUT /idp/ttl':
        idp.setTtl((await readJson(req)) as Partial<Record<TtlKind, number>>, user);
        return send(res, 200, idp.ttl(user));
      case 'DELETE /idp/ttl':
        idp.resetTtl(user);
        return send(res, 200, idp.ttl(user));
      case 'PUT /idp/token-length':
        if (user === undefined) return send(res, 400, { error: 'token lengths are set per user: ?user=<email>' });
        idp.setTokenLength((await readJson(req)) as Partial<Record<SizedTokenKind, number>>, user);
        return send(res, 200, {});
      case 'GET /idp/grants':
        return send(res, 200, idp.grantLog());
      case 'DELETE /idp/grants':
        idp.clearGrantLog();
        return send(res, 200, []);
      case 'GET /idp/tokens':
        return send(res, 200, idp.issuedTokens());
      case 'POST /idp/revoke-user': {
        const body = await readJson(req);
        if (typeof body['email'] !== 'string') return send(res, 400, { error: 'email is required' });
        return send(res, 200, { deleted: idp.revokeUser(body['email']) });
      }
      default:
        return send(res, 404, { error: `no route ${key}` });
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => send(res, 400, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
