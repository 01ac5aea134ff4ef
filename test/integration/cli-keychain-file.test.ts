import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli';
import { addUser, envWithoutKeychain, testbed, type TestUser } from '../testbed/client';

/**
 * A server with no desktop session: no D-Bus session bus, so no Secret Service (issue 12, item 4). The
 * secrets go to `--keychain-file` instead, with the passphrase from a private file or a systemd credential.
 */
describe('mail-settings on a server without a Secret Service (the built CLI, smtp-server)', () => {
  let dir: string;
  let user: TestUser;
  const passphrase = `passphrase ${randomUUID()}`;
  const headless = () => envWithoutKeychain('no-bus');
  const paths = () => ({ keychain: join(dir, 'keychain.json'), passphrase: join(dir, 'keychain-passphrase') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-keychain-file-'));
    user = await addUser(`cli-keychain-file-${randomUUID().slice(0, 8)}@example.test`);
    await writeFile(paths().passphrase, `${passphrase}\n`, { mode: 0o600 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const configureSend = (dataDir: string, keychainArgs: readonly string[], env: NodeJS.ProcessEnv) =>
    runCli(
      ['configure', 'send', '--host', '127.0.0.1', '--port', String(testbed().smtp.ports.starttls), '--security', 'starttls', '--user', user.email,
        '--password-stdin', '--sender-name', 'Headless', '--sender-address', user.email, '--json', '--data-dir', dataDir, ...keychainArgs],
      { stdin: `${user.password}\n`, env },
    );

  it('without either, says exactly what to start: a D-Bus session with GNOME Keyring, or --keychain-file', async () => {
    const dataDir = join(dir, 'no-keychain');
    const configured = await configureSend(dataDir, [], headless());
    expect(configured.code).toBe(1);
    const { error } = JSON.parse(configured.stdout) as { error: { code: string; message: string; fix: string } };
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.fix).toContain("dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets < KEYRING_PASSWORD_FILE && mail-settings COMMAND'");
    expect(error.fix).toContain('mail-settings --keychain-file FILE --keychain-passphrase-file PASSPHRASE_FILE COMMAND');

    // A bus with no keyring on it: start one there (or use the file).
    const onBareBus = await configureSend(dataDir, [], envWithoutKeychain('bus-without-keyring'));
    expect(JSON.parse(onBareBus.stdout)).toMatchObject({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', fix: expect.stringContaining('gnome-keyring-daemon --unlock --components=secrets < KEYRING_PASSWORD_FILE') },
    });
    expect(JSON.parse(onBareBus.stdout).error.fix).toContain('--keychain-file FILE');

    // In text, status says it too, on one line a person reads.
    const status = await runCli(['status', '--data-dir', dataDir], { env: headless() });
    expect(status.stdout).toMatch(/^Keychain: unavailable\. Mail Settings can’t reach your system keychain.*dbus-run-session .*--keychain-file FILE/m);
  });

  it('with --keychain-file, configures Send Direct (password from stdin), and status and Test Connection use it', async () => {
    const dataDir = join(dir, 'with-file');
    const keychainArgs = ['--keychain-file', paths().keychain, '--keychain-passphrase-file', paths().passphrase];
    const configured = await configureSend(dataDir, keychainArgs, headless());
    expect(configured.stderr).toBe('');
    expect(configured.code).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ ok: true, sendDirect: { passwordStored: true } });

    const file = await readFile(paths().keychain, 'utf8');
    expect(JSON.parse(file)).toMatchObject({ format: 'mail-settings/keychain-file', version: 1 });
    expect(file).not.toContain(user.password);
    expect((await stat(paths().keychain)).mode & 0o777).toBe(0o600);

    const status = await runCli(['status', '--json', '--data-dir', dataDir, ...keychainArgs], { env: headless() });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ keychain: { available: true }, sendDirect: { passwordStored: true } });

    // smtp-server only lets the right password sign in: success means the password came back out of the file.
    const tested = await runCli(['test-connection', 'send', '--json', '--data-dir', dataDir, ...keychainArgs], { env: headless() });
    expect(tested).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(tested.stdout)).toEqual({ ok: true, message: 'We were able to connect to your mail server and sign in.' });
    expect(`${configured.stdout}${status.stdout}${tested.stdout}`).not.toContain(passphrase);
  });

  it('takes the passphrase from the systemd credential when no passphrase file is named', async () => {
    const dataDir = join(dir, 'with-file');
    const credentials = join(dir, 'credentials');
    await mkdir(credentials, { mode: 0o700 });
    await writeFile(join(credentials, 'mail-settings-keychain'), passphrase, { mode: 0o400 });
    const tested = await runCli(['test-connection', 'send', '--json', '--data-dir', dataDir, '--keychain-file', paths().keychain], {
      env: { ...headless(), CREDENTIALS_DIRECTORY: credentials },
    });
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout)).toMatchObject({ ok: true });
  });

  it('a wrong passphrase, an unsafe passphrase file, or none: each is said plainly, and no passphrase is printed', async () => {
    const dataDir = join(dir, 'with-file');
    const wrongFile = join(dir, 'wrong-passphrase');
    await writeFile(wrongFile, 'not the passphrase 0003\n', { mode: 0o600 });
    const wrong = await runCli(['test-connection', 'send', '--json', '--data-dir', dataDir, '--keychain-file', paths().keychain, '--keychain-passphrase-file', wrongFile], { env: headless() });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_WRONG_PASSPHRASE', message: `The passphrase does not open the keychain file ${paths().keychain}: it was made with another passphrase.` } });
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain('not the passphrase 0003');

    await chmod(wrongFile, 0o644);
    const unsafe = await runCli(['test-connection', 'send', '--data-dir', dataDir, '--keychain-file', paths().keychain, '--keychain-passphrase-file', wrongFile], { env: headless() });
    expect(unsafe.code).toBe(1);
    expect(unsafe.stderr).toBe(
      `The passphrase file ${wrongFile} can be read by other users (mode 0644), so Mail Settings does not use it.\nMake it readable by its owner only (chmod 600 ${wrongFile}), then try again. Nothing was read from it.\n`,
    );

    const none = await runCli(['test-connection', 'send', '--json', '--data-dir', dataDir, '--keychain-file', paths().keychain], { env: headless() });
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_PASSPHRASE_MISSING', fix: expect.stringContaining('--keychain-passphrase-file FILE') } });

    const strayPassphraseFile = await runCli(['status', '--data-dir', dataDir, '--keychain-passphrase-file', paths().passphrase], { env: headless() });
    expect(strayPassphraseFile.code).toBe(2);
    expect(strayPassphraseFile.stderr).toMatch(/^--keychain-passphrase-file goes with --keychain-file FILE\.\n\nUsage: /);
  });
});
