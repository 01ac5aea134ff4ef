import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { authRecordingServer, type AuthRecordingServer } from '../support/fake-mail-servers';
import { runCli } from '../support/run-cli';

/** `configure send --security none` against a plain-text server that offers AUTH: no password in clear text unless allowed. */
describe('mail-settings and a server without encryption (the built CLI)', () => {
  // Each test has its own data dir and server: what one saved, or sent, is never another's starting point.
  let dataDir: string;
  let server: AuthRecordingServer;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-insecure-'));
    server = await authRecordingServer('plain');
  });
  afterEach(async () => {
    await server?.close();
    if (dataDir) {
      await clearKeychainOf(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  const configure = (...extra: string[]) =>
    runCli(
      ['configure', 'send', '--host', '127.0.0.1', '--port', String(server.port), '--security', 'none', '--user', 'relay@example.test', '--password-stdin',
        '--sender-name', 'Sales', '--sender-address', 'relay@example.test', '--json', '--data-dir', dataDir, ...extra],
      { stdin: 'relay-password\n' },
    );

  it('refuses to sign in without encryption, says how to fix it, and the server receives no AUTH', async () => {
    expect((await configure()).code).toBe(0);
    const tested = await runCli(['test-connection', 'send', '--json', '--data-dir', dataDir]);
    expect(tested.code).toBe(1);
    const answer = JSON.parse(tested.stdout) as { ok: boolean; error: { code: string; message: string; fix: string } };
    expect(answer).toEqual({ ok: false, error: { code: 'INSECURE_AUTH_REFUSED', message: expect.stringContaining('unencrypted'), fix: expect.stringContaining('STARTTLS or SSL/TLS'), fieldErrors: expect.anything() } });
    expect(tested.stdout + tested.stderr).not.toContain('relay-password');
    expect(server.auths).toEqual([]);
  });

  it('signs in once the user allowed it with --allow-insecure-auth', async () => {
    expect((await configure('--allow-insecure-auth')).code).toBe(0);
    const tested = await runCli(['test-connection', 'send', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(tested.stdout)).toEqual({ ok: true, message: 'We were able to connect to your mail server and sign in.' });
    expect(tested.code).toBe(0);
    expect(server.auths).toEqual([{ method: 'PLAIN', user: 'relay@example.test', secret: 'relay-password', secure: false }]);
  });

  it('asks for the password again when only the server changed (no --password-stdin)', async () => {
    expect((await configure('--allow-insecure-auth')).code).toBe(0);
    const moved = await runCli(['configure', 'send', '--host', 'localhost', '--port', String(server.port), '--security', 'none', '--allow-insecure-auth',
      '--user', 'relay@example.test', '--sender-name', 'Sales', '--sender-address', 'relay@example.test', '--json', '--data-dir', dataDir]);
    expect(moved.code).toBe(1);
    expect(JSON.parse(moved.stdout)).toMatchObject({ ok: false, error: { code: 'PASSWORD_NEEDED_FOR_NEW_SERVER', fix: expect.stringContaining('--password-stdin') } });
  });
});
