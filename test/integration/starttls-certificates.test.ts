import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { SendDirectSettings } from '../../src/shared/send-direct';
import { selfSignedSmtpServer } from '../support/fake-mail-servers';
import { startLocalRuntime } from '../support/local-runtime';

/**
 * Port 587 with STARTTLS is the usual setup, so the certificate of a server that upgrades a plain
 * connection goes through the same checks as an implicit-TLS one: shown with its fingerprint when nobody
 * trusts it, pinned when the user trusts it, refused as changed when it is replaced.
 */
describe('an untrusted certificate behind STARTTLS', () => {
  let dataDir: string;
  let runtime: Runtime;
  const settingsFor = (port: number): SendDirectSettings => ({
    serverName: '127.0.0.1', senderName: 'Sales', senderAddress: 'sales@example.test', userName: 'sales@example.test',
    authMethod: 'password', port, security: 'starttls', allowInsecureAuth: false,
  });
  const test = (settings: SendDirectSettings) => runtime.handlers.testSendDirect({ settings, password: { kind: 'set', value: `secret-${randomUUID()}` } });

  // Fresh services per test: a certificate one test pinned (for a port the next may be given again) is
  // not in the other's settings.
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-starttls-cert-'));
    runtime = await startLocalRuntime(dataDir);
  });
  afterEach(async () => {
    await runtime?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('untrusted → shown with its fingerprint → trusted → works → replaced → CERTIFICATE_CHANGED', async () => {
    const server = await selfSignedSmtpServer(dataDir, 0, 'starttls');
    const settings = settingsFor(server.port);
    const refused = await test(settings);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_CERTIFICATE', certificate: { host: '127.0.0.1', port: server.port, fingerprint256: server.fingerprint, subject: '127.0.0.1' } },
    });
    expect(server.logins).toBe(0); // the password never left
    expect(await runtime.handlers.trustCertificate({ settings, fingerprint256: server.fingerprint })).toEqual({ ok: true, value: undefined });
    expect(await test(settings)).toMatchObject({ ok: true });
    expect(server.logins).toBe(1);
    await server.close();

    const replaced = await selfSignedSmtpServer(dataDir, server.port, 'starttls');
    expect(replaced.fingerprint).not.toBe(server.fingerprint);
    expect(await test(settings)).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_CHANGED', certificate: { fingerprint256: replaced.fingerprint } } });
    expect(replaced.logins).toBe(0);
    await replaced.close();
  });

  it('“Trust this certificate” is refused when the server’s certificate changed between the prompt and the click', async () => {
    const shown = await selfSignedSmtpServer(dataDir, 0, 'starttls');
    const settings = settingsFor(shown.port);
    const refused = await test(settings);
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_CERTIFICATE', certificate: { fingerprint256: shown.fingerprint } } });
    await shown.close();
    // While the user reads the prompt, another certificate takes the port.
    const swapped = await selfSignedSmtpServer(dataDir, shown.port, 'starttls');
    const trust = await runtime.handlers.trustCertificate({ settings, fingerprint256: shown.fingerprint });
    expect(trust).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_CHANGED', message: expect.stringContaining('no longer shows the certificate') } });
    // Nothing was pinned: the server is still untrusted, and shows its own fingerprint.
    expect(await test(settings)).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_CERTIFICATE', certificate: { fingerprint256: swapped.fingerprint } } });
    expect(swapped.logins).toBe(0);
    await swapped.close();
  });
});
