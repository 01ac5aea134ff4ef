import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runInteractiveSignIn } from '../../src/main/oauth/interactive-sign-in';
import { startLoopbackListener, type IssuerCheck, type LoopbackListener } from '../../src/main/oauth/loopback-listener';
import { oauthErrorOf } from '../../src/main/oauth/oauth-errors';
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
        // An answer that never comes fails the test at once, not at the test's timeout.
        timeout: 2_000,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('no answer within 2 s')));
    req.end(init.body);
  });
}

describe('the loopback redirect listener (RFC 8252)', () => {
  let listener: LoopbackListener;
  const start = async (redirectHost: 'localhost' | '127.0.0.1' = '127.0.0.1', issuerCheck: IssuerCheck = { kind: 'when-present', issuer }, port?: number) =>
    (listener = await startLoopbackListener({ expectedState: 'state-123', issuerCheck, redirectHost, pages: signInPages, ...(port === undefined ? {} : { port }) }));
  afterEach(() => listener?.close());

  it('listens on loopback only, on a random port, with a loopback redirect URI', async () => {
    const first = await start();
    const second = await startLoopbackListener({ expectedState: 's', issuerCheck: { kind: 'none' }, redirectHost: 'localhost', pages: signInPages });
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
  it('for a localhost redirect, listens on both loopback families on one port: no other program can take ::1', async () => {
    await start('localhost');
    const port = new URL(listener.redirectUri).port;
    for (const host of ['127.0.0.1', '::1']) {
      const forged = await call(`http://localhost:${port}/?code=evil&state=wrong`, { host });
      expect(forged.status, host).toBe(400);
      expect(forged.body, host).toContain('not the one Mail Settings started');
    }
    const answer = await call(`${listener.redirectUri}?code=over-ipv6&state=state-123`, { host: '::1' });
    expect(answer.status).toBe(200);
    await expect(listener.response).resolves.toEqual({ kind: 'code', code: 'over-ipv6' });
  });

  it('never uses a port another program holds on ::1: it moves to a port free on both families', async () => {
    // Another program got there first on [::1]:port (the port the listener would otherwise try).
    const squatter: Server = createServer((_request, reply) => reply.end('squatter'));
    await new Promise<void>((resolve) => squatter.listen(0, '::1', resolve));
    const squatted = (squatter.address() as AddressInfo).port;
    try {
      await start('localhost', { kind: 'when-present', issuer }, squatted);
      const port = Number(new URL(listener.redirectUri).port);
      expect(port).not.toBe(squatted);
      // The browser resolving localhost to ::1 reaches Mail Settings on the port it was given.
      const answer = await call(`${listener.redirectUri}?code=the-code&state=state-123`, { host: '::1' });
      expect(answer.status).toBe(200);
      await expect(listener.response).resolves.toEqual({ kind: 'code', code: 'the-code' });
    } finally {
      squatter.close();
    }
  });

  it('refuses an answer without iss when the metadata says the server always sends it (RFC 9207 §2.4), and keeps waiting', async () => {
    await start('127.0.0.1', { kind: 'required', issuer });
    for (const query of ['code=injected&state=state-123', 'error=access_denied&state=state-123', `code=x&state=state-123&iss=${encodeURIComponent(issuer)}&iss=${encodeURIComponent(issuer)}`]) {
      const answer = await call(`${listener.redirectUri}?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body, query).toContain('another sign-in service');
    }
    await call(`${listener.redirectUri}?code=real&state=state-123&iss=${encodeURIComponent(issuer)}`);
    await expect(listener.response).resolves.toEqual({ kind: 'code', code: 'real' });
  });

  it('ignores iss for a server that never sends it (Entra)', async () => {
    await start('localhost', { kind: 'none' });
    await call(`${listener.redirectUri}?code=c&state=state-123&iss=${encodeURIComponent('https://elsewhere.example')}`);
    await expect(listener.response).resolves.toEqual({ kind: 'code', code: 'c' });
  });

  it('answers an empty or repeated code with an error page at once, and ends the wait with an error', async () => {
    for (const query of ['code=&state=state-123', 'code=a&code=b&state=state-123']) {
      await start();
      const answer = await call(`${listener.redirectUri}?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body, query).toContain('no usable sign-in code');
      await expect(listener.response).resolves.toMatchObject({ kind: 'error', error: 'invalid_request' });
    }
  });

  it('ends the sign-in with a clear error, not the timeout, when the code comes back empty', async () => {
    let sentState = '';
    const flow = {
      issuerCheck: { kind: 'none' } as const,
      redirectHost: '127.0.0.1' as const,
      authorizationUrl: async ({ state }: { state: string }) => {
        sentState = state;
        return 'https://idp.example/authorize';
      },
      redeem: async (): Promise<never> => {
        throw new Error('an empty code must never be redeemed');
      },
    };
    const signIn = runInteractiveSignIn(flow, {
      // The "browser": the identity provider redirects back with `code=` and the right state.
      show: async (_url, redirectUri) => {
        void call(`${redirectUri}?code=&state=${sentState}`).catch(() => undefined);
        return { closed: new Promise<void>(() => undefined), close: () => undefined };
      },
      // Far beyond the test's own timeout: only an answer to the empty code itself can end this sign-in in time.
      timeoutMs: 600_000,
    });
    const error = await signIn.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(oauthErrorOf(error)).toMatchObject({ code: 'SIGN_IN_FAILED', message: expect.stringContaining('without a usable authorization code') });
  });
});
