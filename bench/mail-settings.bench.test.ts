import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Runtime } from '../src/main/node-runtime';
import type { SendDirectSettings } from '../src/shared/send-direct';
import { scriptedSignInWindow, startLocalRuntime } from '../test/support/local-runtime';
import { addUser, testbed, type TestUser } from '../test/testbed/client';

/**
 * `npm run bench`: prints figures, asserts nothing. Against the same local servers as the tests:
 * scripted full sign-in, silent-refresh overhead, Test Connection vs raw nodemailer verify(), and the
 * verdict time for a host that never answers.
 */
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return { median, mean, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const line = (label: string, samples: number[]) => {
  const s = stats(samples);
  console.log(`${label.padEnd(48)} median ${ms(s.median).padStart(10)}  mean ${ms(s.mean).padStart(10)}  min ${ms(s.min).padStart(10)}  max ${ms(s.max).padStart(10)}  (n=${samples.length})`);
  return s;
};
async function time<T>(task: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await task();
  return [performance.now() - started, value];
}

describe('Mail Settings benchmarks', () => {
  let dataDir: string;
  let runtime: Runtime;
  let user: TestUser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-bench-'));
    user = await addUser(`bench-${randomUUID().slice(0, 8)}@example.test`);
    runtime = await startLocalRuntime(dataDir, { popupOpener: scriptedSignInWindow(() => ({ user })) });
  });
  afterAll(async () => {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sign-in and silent refresh (Office 365 provider through MSAL, local IdP)', async () => {
    const signIns: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const [elapsed, result] = await time(() => runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'office365', clientId: undefined, clientSecret: undefined, tenant: undefined, issuer: undefined, loginHint: undefined }, via: 'popup' }));
      if (!result.ok) throw new Error(result.error.message);
      signIns.push(elapsed);
      if (i < 7) await runtime.services.accounts.reset('send');
    }
    console.log('\n== Modern Authentication');
    line('scripted full sign-in (login, TOTP, consent)', signIns);
    const cached: number[] = [];
    const refreshed: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      cached.push((await time(() => runtime.services.accounts.accessToken('send')))[0]);
      refreshed.push((await time(() => runtime.services.accounts.accessToken('send', { forceRefresh: true })))[0]);
    }
    const hit = line('access token from the keychain cache', cached);
    const refresh = line('silent refresh (refresh-token grant)', refreshed);
    console.log(`silent-refresh overhead over a cache hit: ${ms(refresh.median - hit.median)}`);
    await runtime.services.accounts.reset('send');
  });

  it('Test Connection vs raw nodemailer verify(), and the verdict for a host that never answers', async () => {
    const { dovecot } = testbed();
    const settings: SendDirectSettings = {
      serverName: '127.0.0.1', senderName: 'Bench', senderAddress: user.email, userName: user.email,
      authMethod: 'password', port: dovecot.ports.submission, security: 'starttls', allowInsecureAuth: false,
    };
    await runtime.handlers.saveSendDirect({ settings, password: { kind: 'set', value: user.password } });
    const app: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      const [appTime, result] = await time(() => runtime.handlers.testSendDirect({ settings, password: { kind: 'keep' } }));
      if (!result.ok) throw new Error(result.error.message);
      app.push(appTime);
      const transporter = nodemailer.createTransport({ host: '127.0.0.1', port: dovecot.ports.submission, requireTLS: true, auth: { user: user.email, pass: user.password } });
      raw.push((await time(() => transporter.verify()))[0]);
      transporter.close();
    }
    console.log('\n== Send Direct');
    const appStats = line('Test Connection (app, keychain password)', app);
    const rawStats = line('raw nodemailer verify()', raw);
    console.log(`ratio of medians: ${(appStats.median / rawStats.median).toFixed(2)}x (goal <= 1.2x)`);

    // A host that accepts the connection and never says a word (a black hole on loopback).
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    // Another port is another destination: the password is typed for it, as a user would (a stored one stays with its server).
    const [verdict, result] = await time(() => runtime.handlers.testSendDirect({ settings: { ...settings, port }, password: { kind: 'set', value: user.password } }));
    console.log(`verdict for a server that never answers: ${ms(verdict)} (${result.ok ? 'ok?!' : result.error.code}; goal <= 10 s)`);
    silent.close();
    const closedPort = port;
    const [refused, refusedResult] = await time(() => runtime.handlers.testSendDirect({ settings: { ...settings, port: closedPort }, password: { kind: 'set', value: user.password } }));
    console.log(`verdict for a closed port: ${ms(refused)} (${refusedResult.ok ? 'ok?!' : refusedResult.error.code})`);
    const memory = process.memoryUsage();
    console.log(`memory after the run: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  }, 60_000);
});
