import { afterEach, describe, expect, it } from 'vitest';
import { authRecordingServer, type AuthRecordingServer } from '../test/support/fake-mail-servers';
import type { SendDirectValues } from './harness/send-direct-section';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * Where a stored password may go, as a user meets it: a saved password stays with the server it was saved
 * for, and SSL None asks for an explicit yes before anything is sent in clear text. Each test checks what
 * the receiving server was actually sent.
 */

const windows = useMailSettingsWindows();
const servers: AuthRecordingServer[] = [];

async function recording(mode: 'plain' | 'starttls'): Promise<AuthRecordingServer> {
  const server = await authRecordingServer(mode);
  servers.push(server);
  return server;
}

function settingsFor(port: number, patch: Partial<SendDirectValues> = {}): SendDirectValues {
  return {
    serverName: '127.0.0.1',
    senderName: 'Legrand Sales Team',
    senderAddress: 'sales@example.test',
    userName: 'sales@example.test',
    authMethod: 'Normal Password (basic authentication)',
    port: String(port),
    security: 'STARTTLS',
    ...patch,
  };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('a stored password goes only to the server it was saved for', () => {
  it('asks for the password when the server name changes, and the new server never sees the stored one', async () => {
    const { app } = await windows.open('password-for-new-server');
    const server = await recording('starttls');
    await app.sendDirect.fill({ ...settingsFor(server.port), password: 'stored-secret' });
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();
    await app.sendDirect.testConnection();
    expect(await app.sendDirect.waitForConnectionResult()).toMatchObject({ ok: true });
    expect(server.auths.map((auth) => auth.secret)).toEqual(['stored-secret']);
    const connectionsBefore = server.connections;

    // The same server under another name: to Mail Settings, another destination.
    await app.sendDirect.typeInto('serverName', 'localhost');
    const password = await app.sendDirect.password();
    expect(password).toMatchObject({ visible: true, value: '', editable: true });
    expect(password.hint).toContain('Enter the password for the new server.');
    expect(password.hint).toContain('only ever sent to 127.0.0.1');
    expect(await app.sendDirect.isTestConnectionEnabled()).toBe(false);
    expect(await app.sendDirect.testConnectionHint()).toContain('Enter the password for the new server first');
    await app.screenshot('password-for-new-server');

    // Main does not take the window's word for it: asked directly, it refuses as well.
    const direct = await app.callApi('testSendDirect', {
      settings: { serverName: 'localhost', senderName: 'Legrand Sales Team', senderAddress: 'sales@example.test', userName: 'sales@example.test', authMethod: 'password', port: server.port, security: 'starttls' },
      password: { kind: 'keep' },
    });
    expect(direct).toMatchObject({ ok: false, error: { code: 'PASSWORD_NEEDED_FOR_NEW_SERVER' } });
    await app.sendDirect.save();
    expect(await app.sendDirect.fieldError('password')).toBe('Enter the password for the new server.');
    expect(server.connections).toBe(connectionsBefore);
    expect(server.auths).toHaveLength(1);

    // The password typed for the new server is the one it gets.
    await app.sendDirect.typeInto('password', 'typed-for-localhost');
    await app.sendDirect.testConnection();
    expect(await app.sendDirect.waitForConnectionResult()).toMatchObject({ ok: true });
    expect(server.auths.map((auth) => auth.secret)).toEqual(['stored-secret', 'typed-for-localhost']);
  });

  it('with SSL None, offers “Allow sending my password without encryption” and refuses Test Connection until it is ticked', async () => {
    const { app } = await windows.open('insecure-auth');
    const server = await recording('plain');
    await app.sendDirect.fill({ ...settingsFor(server.port), password: 'clear-text-secret' });
    expect(await app.sendDirect.insecureAuthAllowance()).toBeNull();

    await app.sendDirect.chooseSecurity('None');
    expect(await app.sendDirect.insecureAuthAllowance()).toEqual({ checked: false, hint: expect.stringContaining('never sends your password unencrypted') });
    await app.sendDirect.testConnection();
    const refused = await app.sendDirect.waitForConnectionResult();
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('unencrypted'), fix: expect.stringContaining('Choose STARTTLS or SSL/TLS') });
    // This server offers no STARTTLS in its EHLO reply, so the fix does not claim it does.
    expect(refused.ok ? '' : refused.fix).not.toContain('offers STARTTLS');
    expect(server.auths).toEqual([]);

    await app.sendDirect.setInsecureAuthAllowed(true);
    expect(await app.sendDirect.insecureAuthAllowance()).toEqual({ checked: true, hint: expect.stringContaining('anyone on the network path can read it') });
    await publishScreenshot(await app.screenshot('insecure-auth-allowed'), 'insecure-auth-allowed.png');
    await app.sendDirect.testConnection();
    expect(await app.sendDirect.waitForConnectionResult()).toMatchObject({ ok: true });
    expect(server.auths).toEqual([{ method: 'PLAIN', user: 'sales@example.test', secret: 'clear-text-secret', secure: false }]);

    // The yes belongs to None: another choice takes it away, and coming back to None asks again.
    await app.sendDirect.chooseSecurity('STARTTLS');
    expect(await app.sendDirect.insecureAuthAllowance()).toBeNull();
    await app.sendDirect.chooseSecurity('None');
    expect(await app.sendDirect.insecureAuthAllowance()).toMatchObject({ checked: false });
  });
});
