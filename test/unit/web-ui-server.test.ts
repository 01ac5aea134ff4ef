import { access, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../src/main/node-runtime';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';
import { startWebUiFor } from '../../src/main/web/web-ui-for-runtime';
import type { WebUi } from '../../src/main/web/web-ui-server';
import { webUiKeyHeader } from '../../src/shared/web-ui';

/**
 * `mail-settings ui`'s server on loopback, on real services (a memory keychain), asked with raw HTTP
 * requests: what a browser page, another local web page, or a DNS-rebinding page could send.
 */

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | number>>;
  readonly body?: Buffer | string;
}

let dataDir: string;
let rendererDir: string;
let runtime: Runtime;
let ui: WebUi;
let port: number;
let secret: string;
let origin: string;

function send(raw: RawRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method: raw.method ?? 'GET', path: raw.path, headers: { ...raw.headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end(raw.body);
  });
}

/** An API call as the app's page makes it; `patch` changes or removes (undefined) what a test is about. */
function call(channel: string, request: unknown, patch: Readonly<Record<string, string | undefined>> = {}, method = 'POST'): Promise<Answer> {
  const headers = Object.fromEntries(
    Object.entries({ [webUiKeyHeader]: secret, Origin: origin, 'Content-Type': 'application/json', ...patch }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return send({ method, path: `/api/call/${channel}`, headers, body: method === 'GET' ? undefined : JSON.stringify({ request }) });
}

/** Where main keeps the file behind an attachment handle. */
function pathOf(handle: string): string {
  const resolved = runtime.services.attachments.resolve([handle]);
  if (!resolved.ok || !resolved.value[0]) throw new Error(`No file behind the handle ${handle}`);
  return resolved.value[0].path;
}

function json(answer: Answer): unknown {
  return JSON.parse(answer.body.toString('utf8'));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-web-ui-'));
  // A renderer build of its own: the built one's meta policy, one script.
  rendererDir = await mkdtemp(join(tmpdir(), 'mail-settings-web-renderer-'));
  await mkdir(join(rendererDir, 'assets'));
  await writeFile(
    join(rendererDir, 'index.html'),
    `<!doctype html><html><head><meta
      http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
    /><script type="module" src="./assets/app.js"></script></head><body></body></html>`,
  );
  await writeFile(join(rendererDir, 'assets/app.js'), 'export {};\n');
  runtime = await startRuntime({ dataDir, openSettings: openConfSettings, externalOpener: { open: async () => undefined }, secrets: createMemorySecretStore(), accountCheckIntervalMs: 0 });
  ui = await startWebUiFor(runtime, { rendererDir });
  const url = new URL(ui.url);
  port = Number(url.port);
  secret = url.pathname.split('/')[1] ?? '';
  origin = url.origin;
});

afterAll(async () => {
  await ui?.close();
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(rendererDir, { recursive: true, force: true });
});

describe('the address', () => {
  it('is http://127.0.0.1:<port>/<a 43-character secret>/', () => {
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/$/);
  });
});

describe('the page', () => {
  it('is served under the secret, with the app’s CSP allowing calls to its own origin only', async () => {
    const page = await send({ path: `/${secret}/`, headers: { Host: `127.0.0.1:${port}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const meta = /content="([^"]+)"/.exec(page.body.toString('utf8'))?.[1];
    expect(meta).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'");
    expect(page.headers).toMatchObject({
      'content-security-policy': `${meta}; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    const script = await send({ path: `/${secret}/assets/app.js` });
    expect([script.status, script.headers['content-type'], script.body.toString()]).toEqual([200, 'text/javascript; charset=utf-8', 'export {};\n']);
  });

  it('answers 401 and nothing else without the secret, or with a wrong one', async () => {
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    for (const path of ['/', '/index.html', '/favicon.ico', `/${wrong}/`, `/${wrong}/assets/app.js`, `/assets/app.js`, `/${secret.toLowerCase()}/`]) {
      const answer = await send({ path });
      expect([path, answer.status, answer.body.length]).toEqual([path, 401, 0]);
    }
  });

  it('refuses another Host (DNS rebinding) with 421, even with the secret', async () => {
    for (const host of [`evil.example:${port}`, `localhost:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) {
      const answer = await send({ path: `/${secret}/`, headers: { Host: host } });
      expect([host, answer.status, answer.body.length]).toEqual([host, 421, 0]);
    }
  });

  it('serves nothing outside the renderer folder, and only GET', async () => {
    for (const path of [`/${secret}/../../../../etc/passwd`, `/${secret}/%2e%2e/%2e%2e/etc/passwd`, `/${secret}/assets%2f..%2f..%2fpackage.json`, `/${secret}/missing.js`]) {
      expect([path, (await send({ path })).status]).toEqual([path, 404]);
    }
    const posted = await send({ method: 'POST', path: `/${secret}/`, body: 'x' });
    expect([posted.status, posted.headers['allow']]).toEqual([405, 'GET']);
  });

  it('sends the address without its last slash to the one with it (the page’s files are relative to it)', async () => {
    const answer = await send({ path: `/${secret}` });
    expect([answer.status, answer.headers['location']]).toEqual([308, `/${secret}/`]);
  });
});

describe('API calls', () => {
  it('run the channel through the dispatcher and answer its Result as JSON', async () => {
    const answer = await call('getSendDirect', {});
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json(answer)).toEqual({ ok: true, value: { settings: null, passwordStored: false, encryptionTurnedOn: false } });
    // Malformed requests are the dispatcher's to refuse, as over IPC: an undefined one included.
    expect(json(await call('getSendDirect', undefined))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(json(await call('deleteEverything', {}))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('answer 401 and nothing else without the secret header, or with a wrong one', async () => {
    for (const key of [undefined, '', secret.slice(1), `${secret}x`, 'x'.repeat(43)]) {
      const answer = await call('getSendDirect', {}, { [webUiKeyHeader]: key });
      expect([key, answer.status, answer.body.length]).toEqual([key, 401, 0]);
    }
    // The secret in the path is not the header: an API call needs the header.
    const inPath = await send({ method: 'POST', path: `/${secret}/api/call/getSendDirect`, headers: { Origin: origin, 'Content-Type': 'application/json' }, body: '{}' });
    expect(inPath.status).toBe(405);
  });

  it('refuse another Host with 421 and another Origin (or none) with 403', async () => {
    expect((await call('getSendDirect', {}, { Host: `evil.example:${port}` })).status).toBe(421);
    for (const other of ['http://evil.example', `http://localhost:${port}`, `http://127.0.0.1:${port + 1}`, 'null', undefined]) {
      const answer = await call('getSendDirect', {}, { Origin: other });
      expect([other, answer.status, answer.body.length]).toEqual([other, 403, 0]);
    }
  });

  it('accept POST with a JSON body only, of at most 32 MiB', async () => {
    const get = await call('getSendDirect', {}, {}, 'GET');
    expect([get.status, get.headers['allow']]).toEqual([405, 'POST']);
    // text/plain is what a cross-site form or a "simple" fetch may send without asking first.
    expect((await call('getSendDirect', {}, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await call('getSendDirect', {}, { 'Content-Type': undefined })).status).toBe(415);
    const notJson = await send({ method: 'POST', path: '/api/call/getSendDirect', headers: { [webUiKeyHeader]: secret, Origin: origin, 'Content-Type': 'application/json' }, body: '{"request":' });
    expect(notJson.status).toBe(400);
    const huge = await send({
      method: 'POST',
      path: '/api/call/saveSendDirect',
      headers: { [webUiKeyHeader]: secret, Origin: origin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ request: { settings: 'x'.repeat(33 * 1024 * 1024) } }),
    });
    expect(huge.status).toBe(413);
  });
});

describe('events', () => {
  it('stream every event of the services to the page, one JSON line each, until it goes away', async () => {
    const lines: string[] = [];
    const stream = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/events', headers: { [webUiKeyHeader]: secret, Origin: origin, 'Content-Type': 'application/json' } },
        resolve,
      );
      request.on('error', reject);
      request.end('{}');
    });
    expect([stream.statusCode, stream.headers['content-type']]).toEqual([200, 'application/x-ndjson; charset=utf-8']);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter((line) => line !== '')));

    const settings = { serverName: 'smtp.example.test', senderName: 'Legrand Sales Team', senderAddress: 'sales@example.test', userName: 'sales@example.test', authMethod: 'password', port: 587, security: 'starttls' };
    expect(json(await call('saveSendDirect', { settings, password: { kind: 'set', value: 'web-ui-secret' } }))).toMatchObject({ ok: true });
    await expect.poll(() => lines.map((line) => JSON.parse(line) as { event: string })).toEqual([
      { event: 'sendDirectChanged', payload: { settings: { ...settings, allowInsecureAuth: false }, passwordStored: true, encryptionTurnedOn: false } },
    ]);
    stream.destroy();
  });
});

describe('attachments uploaded from the browser', () => {
  const upload = (name: string, body: Buffer, patch: Readonly<Record<string, string | number>> = {}) =>
    send({ method: 'POST', path: `/api/attachments?name=${encodeURIComponent(name)}`, headers: { [webUiKeyHeader]: secret, Origin: origin, 'Content-Type': 'application/octet-stream', ...patch }, body });

  it('are kept in a folder of this launch only its user can read, and get a handle as if chosen in the dialog', async () => {
    const offer = Buffer.from('%PDF-1.7\n% The offer\n');
    const answer = await upload('../../offer.pdf', offer);
    expect(answer.status).toBe(200);
    const result = json(answer) as { ok: true; value: { handle: string; name: string; size: number }[] };
    expect(result).toEqual({ ok: true, value: [{ handle: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'offer.pdf', size: offer.length }] });
    const file = pathOf(result.value[0]?.handle ?? '');
    expect(await readFile(file)).toEqual(offer);
    expect((await stat(join(file, '../..'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // The same file chosen again keeps its handle, so the window lists it once.
    expect(json(await upload('offer.pdf', offer))).toEqual(result);
  });

  it('refuse a file over 10 MB by its name, as the dialog does', async () => {
    const answer = await upload('scan.pdf', Buffer.alloc(10 * 1024 * 1024 + 1));
    expect(json(answer)).toEqual({
      ok: false,
      error: { code: 'ATTACHMENT_REFUSED', message: 'The file “scan.pdf” is larger than 10 MB, so it was not attached.', fix: 'Use a file of at most 10 MB (a smaller image, or a link to a shared copy).' },
    });
  });

  it('need the secret, this Origin, a byte body of a declared length and a name', async () => {
    expect((await upload('a.txt', Buffer.from('a'), { [webUiKeyHeader]: 'x'.repeat(43) })).status).toBe(401);
    expect((await upload('a.txt', Buffer.from('a'), { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await upload('a.txt', Buffer.from('a'), { 'Content-Type': 'application/json' })).status).toBe(415);
    expect((await upload('a.txt', Buffer.from('a'), { 'Transfer-Encoding': 'chunked' })).status).toBe(411);
    const unnamed = await send({ method: 'POST', path: '/api/attachments', headers: { [webUiKeyHeader]: secret, Origin: origin, 'Content-Type': 'application/octet-stream' }, body: 'a' });
    expect(unnamed.status).toBe(400);
  });
});

describe('closing', () => {
  it('ends the open event streams and removes the uploaded files', async () => {
    const own = await startWebUiFor(runtime, { rendererDir });
    const url = new URL(own.url);
    const key = url.pathname.split('/')[1] ?? '';
    const ended = new Promise<void>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: Number(url.port), method: 'POST', path: '/api/events', headers: { [webUiKeyHeader]: key, Origin: url.origin, 'Content-Type': 'application/json' } },
        (response) => {
          response.resume();
          response.on('close', () => resolve());
        },
      );
      request.on('error', reject);
      request.end('{}');
    });
    const uploaded = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: Number(url.port), method: 'POST', path: '/api/attachments?name=a.txt', headers: { [webUiKeyHeader]: key, Origin: url.origin, 'Content-Type': 'application/octet-stream' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(pathOf((JSON.parse(Buffer.concat(chunks).toString()) as { value: { handle: string }[] }).value[0]?.handle ?? '')));
        },
      );
      request.on('error', reject);
      request.end('a');
    });
    expect(await readFile(uploaded, 'utf8')).toBe('a');
    await own.close();
    await ended;
    await expect(access(join(uploaded, '../..'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
