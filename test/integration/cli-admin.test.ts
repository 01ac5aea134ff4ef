import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOTP, URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticatorCode, testAdminPassword } from '../support/admin-totp';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { runCli, type CliResult } from '../support/run-cli';

/**
 * `mail-settings admin …` (issue 14) through the built CLI, with the test bed's GNOME Keyring holding the
 * TOTP secret and the session. Codes come from the `otpauth` package, never from the app's own TOTP code.
 */

const email = 'office.manager@example.test';
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-admin-'));
});
afterAll(async () => {
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

const cli = (args: readonly string[], stdin = '') => runCli([...args, '--json', '--data-dir', dataDir], { stdin });
const json = (result: CliResult): Record<string, unknown> => JSON.parse(result.lines.at(-1) ?? 'null') as Record<string, unknown>;
const errorCode = (result: CliResult): unknown => (json(result)['error'] as Record<string, unknown> | undefined)?.['code'];
const signIn = (code: string, password = testAdminPassword) => cli(['admin', 'sign-in', '--email', email, '--password-stdin', '--code', code], `${password}\n`);
const resetCounter = () => cli(['reset-counter', 'lead']);

/** Everything shown once in this run: none of it may be in any file under the data directory. */
const shown = { setupKey: '', recoveryCodes: [] as string[] };

describe('mail-settings admin', () => {
  it('creates the first administrator, turns 2FA on only with a right code, signs in and out; reset-counter needs the session', async () => {
    const onArgv = await cli(['admin', 'create', '--email', email, '--password', testAdminPassword]);
    expect(onArgv.code).toBe(1);
    expect(errorCode(onArgv)).toBe('INVALID_INPUT');
    expect(onArgv.stdout).not.toContain(testAdminPassword);

    const weak = await cli(['admin', 'create', '--email', email, '--password-stdin'], 'office.manager\n');
    expect(json(weak)).toMatchObject({ ok: false, error: { code: 'ADMIN_PASSWORD_WEAK', message: expect.stringContaining('Don’t use your email address or your name in it.') } });
    // The password, then the code on a second line: a second secret on stdin is refused, not guessed at.
    const twoSecrets = await cli(['admin', 'create', '--email', email, '--password-stdin'], `${testAdminPassword}\n123456\n`);
    expect(json(twoSecrets)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('only the password') } });
    expect(twoSecrets.stdout).not.toContain(testAdminPassword);

    const created = await cli(['admin', 'create', '--email', email, '--password-stdin'], `${testAdminPassword}\n`);
    expect(created.code).toBe(0);
    expect(json(created)).toEqual({ ok: true, email });

    const setup = await cli(['admin', '2fa', 'setup', '--email', email, '--password-stdin'], `${testAdminPassword}\n`);
    expect(setup.code).toBe(0);
    const { otpauthUri, setupKey } = json(setup) as { otpauthUri: string; setupKey: string };
    expect(setupKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const parsed = URI.parse(otpauthUri);
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed).toMatchObject({ issuer: 'Mail Settings', label: email, algorithm: 'SHA1', digits: 6, period: 30 });
    expect(parsed.secret.base32).toBe(setupKey.replace(/ /g, ''));
    shown.setupKey = setupKey;

    const right = authenticatorCode(setupKey);
    const wrongCode = right === '000000' ? '111111' : '000000';
    const wrong = await cli(['admin', '2fa', 'verify', '--email', email, '--code', wrongCode]);
    expect(wrong.code).toBe(1);
    expect(errorCode(wrong)).toBe('ADMIN_CODE_WRONG');
    expect(await resetCounter()).toMatchObject({ code: 1 });

    const verified = await cli(['admin', '2fa', 'verify', '--email', email, '--code', right]);
    expect(verified.code).toBe(0);
    const { recoveryCodes } = json(verified) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    shown.recoveryCodes = recoveryCodes;

    expect(json(await cli(['admin', 'sign-out']))).toEqual({ ok: true });
    const refused = await resetCounter();
    expect(refused.code).toBe(1);
    expect(json(refused)).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED', fix: expect.stringContaining('mail-settings admin sign-in') } });

    // The code of the next 30-second step (the current one was spent on the set-up).
    const next = authenticatorCode(setupKey, new Date(Date.now() + 30_000));
    const signedIn = await signIn(next);
    expect(signedIn.code).toBe(0);
    expect(json(signedIn)).toEqual({ ok: true });
    const reset = await resetCounter();
    expect(reset.code).toBe(0);
    expect(json(reset)).toEqual({ ok: true, hadCounter: false });

    // The same code again: replay refused, with its own code.
    const replayed = await signIn(next);
    expect(replayed.code).toBe(1);
    expect(json(replayed)).toMatchObject({ ok: false, error: { code: 'ADMIN_CODE_REUSED', message: expect.any(String), fix: expect.any(String) } });

    expect(json(await cli(['admin', 'sign-out']))).toEqual({ ok: true });
    expect(errorCode(await resetCounter())).toBe('ADMIN_REQUIRED');
    // Once an administrator exists, configuring an inbox is for administrators too.
    expect(errorCode(await cli(['configure', 'lead', '--host', '127.0.0.1', '--user', 'leads@example.test']))).toBe('ADMIN_REQUIRED');
  }, 60_000);

  it('locks the administrator out after 5 wrong attempts, saying for how long', async () => {
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const wrong = await signIn(attempt % 2 === 0 ? '000000' : '999999');
      expect(wrong.code).toBe(1);
      expect(errorCode(wrong)).toBe('ADMIN_CODE_WRONG');
    }
    const fifth = await signIn('123456', 'not the administrator password');
    expect(json(fifth)).toMatchObject({ ok: false, error: { code: 'ADMIN_LOCKED_OUT', message: `Too many wrong attempts: ${email} can try again in 5 minutes.` } });
    const right = await signIn(authenticatorCode(shown.setupKey, new Date(Date.now() + 30_000)));
    expect(errorCode(right)).toBe('ADMIN_LOCKED_OUT');
  }, 60_000);

  it('leaves no password, TOTP secret or recovery code in any file under the data directory', async () => {
    expect(shown.setupKey).not.toBe('');
    const entries = await readdir(dataDir, { recursive: true, withFileTypes: true });
    const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    expect(files.map((file) => file.slice(dataDir.length + 1))).toEqual(expect.arrayContaining(['admins.json', join('logs', 'admin-audit.log')]));
    const secret = shown.setupKey.replace(/ /g, '');
    const needles = [testAdminPassword, secret, shown.setupKey, ...shown.recoveryCodes, ...shown.recoveryCodes.map((code) => code.replace('-', ''))].map((needle) => needle.toLowerCase());
    for (const file of files) {
      const text = (await readFile(file)).toString('latin1').toLowerCase();
      for (const needle of needles) expect(text.includes(needle), `${needle} in ${file}`).toBe(false);
    }
    const audit = (await readFile(join(dataDir, 'logs', 'admin-audit.log'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit).toContainEqual(expect.objectContaining({ email, action: 'signIn', outcome: 'ADMIN_CODE_REUSED' }));
    expect(audit).toContainEqual(expect.objectContaining({ email, action: 'reset-counter', outcome: 'ok' }));
  });

  it('refuses admin actions when admins.json is deleted, rather than lifting the protection', async () => {
    await rm(join(dataDir, 'admins.json'));
    const configure = await cli(['configure', 'lead', '--host', '127.0.0.1', '--user', 'leads@example.test']);
    expect(configure.code).toBe(1);
    expect(json(configure)).toMatchObject({ ok: false, error: { code: 'ADMIN_STORE_MISSING', message: expect.stringContaining('admins.json') } });
    expect(errorCode(await resetCounter())).toBe('ADMIN_STORE_MISSING');
  });
});
