import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackListener, type LoopbackListener } from '../../src/main/oauth/loopback-listener';
import { signInPages } from '../../src/main/oauth/sign-in-pages';

const issuer = 'https://idp.example';

function call(url: string, init: { method?: string; body?: string; host?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      {
        host: init.host ?? '127.0.0.1',
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? 'GET',
        agent: false, // a fresh connection each time, as a browser's replay would be
        headers: init.body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('the loopback redirect listener (RFC 8252)', () => {
  let listener: LoopbackListener;
  const start = async (redirectHost: 'localhost' | '127.0.0.1' = '127.0.0.1') =>
    (listener = await startLoopbackListener({ expectedState: 'state-123', expectedIssuer: issuer, redirectHost, pages: signInPages }));
  afterEach(() => listener?.close());

  it('listens on 127.0.0.1 only, on a random port, with a loopback redirect URI', async () => {
    const first = await start();
    const second = await startLoopbackListener({ expectedState: 's', expectedIssuer: null, redirectHost: 'localhost', pages: signInPages });
    expect(first.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(second.redirectUri).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(new URL(first.redirectUri).port).not.toBe(new URL(second.redirectUri).port);
    second.close();
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces()).flat().find((address) => address && address.family === 'IPv4' && !address.internal);
    if (external) {
      await expect(call(`${first.redirectUri}?code=x&state=state-123`, { host: external.address })).rejects.toThrow(/ECONNREFUSED/);
    }
  });

  it('accepts the one callback with the right state, shows the success page, then closes', async () => {
    await start();
    const answer = await call(`${listener.redirectUri}?code=the-code&state=state-123&iss=${encodeURIComponent(issuer)}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('You can close this browser tab');
    await expect(listener.response).resolves.toEqual({ kind: 'code', code: 'the-code' });
    // A replay of the same callback finds nobody listening.
    await expect(call(`${listener.redirectUri}?code=the-code&state=state-123`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a forged callback (wrong or missing or doubled state) and keeps waiting for the real one', async () => {
    await start();
    for (const query of ['code=evil&state=wrong', 'code=evil', 'code=evil&state=state-123&state=other']) {
      const answer = await call(`${listener.redirectUri}?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('not the one Mail Settings started');
    }
    await call(`${listener.redirectUri}?code=real&state=state-123`);
    await expect(listener.response).resolves.toEqual({ kind: 'code', code: 'real' });
  });

  it('refuses an answer whose iss is another issuer (RFC 9207)', async () => {
    await start();
    const answer = await call(`${listener.redirectUri}?code=x&state=state-123&iss=${encodeURIComponent('https://evil.example')}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('another sign-in service');
  });

  it('accepts a form_post answer, as Microsoft sends it', async () => {
    await start('localhost');
    const answer = await call(listener.redirectUri, { method: 'POST', body: 'code=posted&state=state-123' });
    expect(answer.status).toBe(200);
    await expect(listener.response).resolves.toEqual({ kind: 'code', code: 'posted' });
  });

  it('passes an error answer (the user denied consent) to the app and closes', async () => {
    await start();
    const answer = await call(`${listener.redirectUri}?error=access_denied&error_description=End-User+aborted&state=state-123`);
    expect(answer.body).toContain('Sign-in not completed');
    await expect(listener.response).resolves.toEqual({ kind: 'error', error: 'access_denied', description: 'End-User aborted' });
  });

  it('ignores requests that carry no answer (a favicon) without ending the wait', async () => {
    await start();
    expect((await call(`${listener.redirectUri}favicon.ico`)).status).toBe(404);
    expect((await call(listener.redirectUri)).status).toBe(404);
    await call(`${listener.redirectUri}?code=after&state=state-123`);
    await expect(listener.response).resolves.toEqual({ kind: 'code', code: 'after' });
  });
});
