import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { SendDirectSettings } from '../../src/shared/send-direct';
import { authRecordingServer, type AuthRecordingServer } from '../support/fake-mail-servers';
import { localProviders, scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { addUser, testbed, type TestUser } from '../testbed/client';

/**
 * A stored password or token goes only where it was saved for, and never in clear text without the user's
 * explicit yes, whatever the renderer sends: each test asks main (through the same handler table the IPC
 * layer registers) to do the wrong thing and checks what the receiving server was sent.
 */
describe('a stored secret goes only to the server it was saved for', () => {
  let dataDir: string;
  let runtime: Runtime;
  let sender: TestUser;
  const servers: AuthRecordingServer[] = [];
  const settingsFor = (patch: Partial<SendDirectSettings>): SendDirectSettings => ({
    serverName: '127.0.0.1', senderName: 'Sales Team', senderAddress: sender.email, userName: sender.email,
    authMethod: 'password', port: testbed().dovecot.ports.submission, security: 'starttls', allowInsecureAuth: false, ...patch,
  });
  const recording = async (mode: 'plain' | 'starttls'): Promise<AuthRecordingServer> => {
    const server = await authRecordingServer(mode);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-secret-destination-'));
    sender = await addUser(`sender-${randomUUID().slice(0, 8)}@example.test`);
    runtime = await startLocalRuntime(dataDir, { popupOpener: scriptedSignInWindow(() => ({ user: sender })) });
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  afterAll(async () => {
    await runtime?.handlers.saveSendDirect({ settings: settingsFor({}), password: { kind: 'clear' } });
    await runtime?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['server name', (port: number) => ({ serverName: 'localhost', port })],
    ['port', (port: number) => ({ port })],
    ['user name', (port: number) => ({ port, userName: 'someone.else@example.test' })],
  ] as const)('"keep" for another %s: refused, and the server is never even contacted', async (_what, patch) => {
    const saved = settingsFor({});
    expect(await runtime.handlers.saveSendDirect({ settings: saved, password: { kind: 'set', value: sender.password } })).toMatchObject({ ok: true });
    // The saved destination works with the stored password.
    expect(await runtime.handlers.testSendDirect({ settings: saved, password: { kind: 'keep' } })).toMatchObject({ ok: true });

    const stranger = await recording('starttls');
    const elsewhere = settingsFor(patch(stranger.port));
    const result = await runtime.handlers.testSendDirect({ settings: elsewhere, password: { kind: 'keep' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'PASSWORD_NEEDED_FOR_NEW_SERVER', fieldErrors: { password: 'Enter the password for the new server.' } } });
    expect(JSON.stringify(result)).not.toContain(sender.password);
    // Saving the new destination while "keeping" the password is refused too: the next send would hand it over.
    expect(await runtime.handlers.saveSendDirect({ settings: elsewhere, password: { kind: 'keep' } })).toMatchObject({ ok: false, error: { code: 'PASSWORD_NEEDED_FOR_NEW_SERVER' } });
    expect(await runtime.handlers.sendTestEmail({ to: [sender.email], subject: 'x', html: '<p>x</p>', attachments: [], activityNote: false })).toMatchObject({ ok: true });
    expect(stranger.connections).toBe(0);
    expect(stranger.auths).toEqual([]);

    // A password typed for the new server goes to the new server.
    expect(await runtime.handlers.testSendDirect({ settings: elsewhere, password: { kind: 'set', value: 'typed-for-this-server' } })).toMatchObject({ ok: true });
    expect(stranger.auths.map((auth) => auth.secret)).toEqual(['typed-for-this-server']);
  });

  it('SSL None: no password in clear text until the user allows it for that server', async () => {
    const plain = await recording('plain');
    const none = settingsFor({ port: plain.port, security: 'none' });
    const refused = await runtime.handlers.testSendDirect({ settings: none, password: { kind: 'set', value: 'clear-text-secret' } });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INSECURE_AUTH_REFUSED', message: expect.stringContaining('unencrypted'), fix: expect.stringContaining('Allow sending my password without encryption') },
    });
    expect(plain.auths).toEqual([]);
    // Saving None does not make it an allowance.
    expect(await runtime.handlers.saveSendDirect({ settings: none, password: { kind: 'set', value: 'clear-text-secret' } })).toMatchObject({ ok: true });
    expect(await runtime.handlers.sendTestEmail({ to: [sender.email], subject: 'x', html: '<p>x</p>', attachments: [], activityNote: false })).toMatchObject({
      ok: false,
      error: { code: 'INSECURE_AUTH_REFUSED' },
    });
    expect(plain.auths).toEqual([]);

    const allowed = await runtime.handlers.testSendDirect({ settings: { ...none, allowInsecureAuth: true }, password: { kind: 'keep' } });
    expect(allowed).toMatchObject({ ok: true });
    expect(plain.auths).toEqual([{ method: 'PLAIN', user: sender.email, secret: 'clear-text-secret', secure: false }]);
  });

  it('SSL None against a server that offers STARTTLS: the refusal says to choose STARTTLS, and nothing is sent', async () => {
    const server = await recording('starttls');
    const result = await runtime.handlers.testSendDirect({ settings: settingsFor({ port: server.port, security: 'none' }), password: { kind: 'set', value: 'x-secret' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INSECURE_AUTH_REFUSED', fix: expect.stringContaining('offers STARTTLS: choose STARTTLS') } });
    // The probe connected (it asked what the server offers) but sent no credentials.
    expect(server.connections).toBeGreaterThan(0);
    expect(server.auths).toEqual([]);
  });

  it('an OAuth token goes only to its provider’s mail servers, named by the installation, never by the form', async () => {
    const signedIn = await runtime.dispatch('signIn', { mailbox: 'send', provider: { kind: 'office365' }, via: 'popup' });
    expect(signedIn).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    const server = await recording('starttls');
    // 127.0.0.1 is this installation's configured stand-in for Office 365's servers; localhost is not.
    const stranger = settingsFor({ authMethod: 'oauth-office365', serverName: 'localhost', port: server.port });
    const refused = await runtime.handlers.testSendDirect({ settings: stranger, password: { kind: 'keep' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'TOKEN_HOST_NOT_ALLOWED', message: expect.stringContaining('localhost'), fix: expect.stringContaining('smtp.office365.com') } });
    expect(server.connections).toBe(0);
    // The per-mailbox provider settings cannot add a host: the contract has no such field.
    const widened = await runtime.dispatch('signIn', { mailbox: 'send', provider: { kind: 'office365', mailHosts: ['localhost'] }, via: 'popup' });
    expect(widened).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const allowed = await runtime.handlers.testSendDirect({ settings: { ...stranger, serverName: '127.0.0.1' }, password: { kind: 'keep' } });
    expect(allowed).toMatchObject({ ok: true });
    expect(server.auths.map((auth) => auth.method)).toEqual(['XOAUTH2']);
    await runtime.handlers.resetAccount({ mailbox: 'send' });
  });

  it('without the installation naming a host, a token goes to the provider’s own servers only', async () => {
    const local = localProviders();
    const strict = await startLocalRuntime(await mkdtemp(join(tmpdir(), 'mail-settings-strict-hosts-')), {
      providerDefaults: { ...local, office365: { ...local.office365, mailHosts: [] } },
      popupOpener: scriptedSignInWindow(() => ({ user: sender })),
    });
    try {
      expect(await strict.dispatch('signIn', { mailbox: 'send', provider: { kind: 'office365' }, via: 'popup' })).toMatchObject({ ok: true });
      const server = await recording('starttls');
      const result = await strict.handlers.testSendDirect({ settings: settingsFor({ authMethod: 'oauth-office365', port: server.port }), password: { kind: 'keep' } });
      expect(result).toMatchObject({ ok: false, error: { code: 'TOKEN_HOST_NOT_ALLOWED' } });
      expect(server.connections).toBe(0);
      await strict.handlers.resetAccount({ mailbox: 'send' });
    } finally {
      await strict.stop();
      await rm(strict.services.deps.dataDir, { recursive: true, force: true });
    }
  });
});
