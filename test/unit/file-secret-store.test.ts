import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSecretStore } from '../../src/main/secrets/file-secret-store';
import { readKeychainPassphrase } from '../../src/main/secrets/keychain-passphrase';
import type { ScryptParameters } from '../../src/main/secrets/keychain-file-format';
import { SecretStoreError, type SecretStore } from '../../src/main/secrets/secret-store';

/** The least cost a file may ask for, so each store opens in milliseconds (the default is 2^17). */
const cheap: ScryptParameters = { N: 2 ** 14, r: 8, p: 1 };

let dir: string;
let keychainFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mail-settings-file-store-'));
  keychainFile = join(dir, 'keychain', 'secrets.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const storeWith = (passphrase: string, service = 'Mail Settings (/data)'): SecretStore =>
  createFileSecretStore({ path: keychainFile, service, passphrase: () => Promise.resolve(passphrase), scrypt: cheap });

/** The AppError code a SecretStore call failed with (its message and fix are what the user reads). */
async function failureOf(operation: Promise<unknown>): Promise<{ code: string; message: string; fix?: string }> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof SecretStoreError) return error.appError;
    throw error;
  }
  throw new Error('the operation succeeded');
}

describe('the keychain file (--keychain-file): an encrypted SecretStore', () => {
  it('keeps, lists, reads back (in another process too) and deletes secrets', async () => {
    const store = storeWith('correct horse battery staple');
    expect(await store.get('send-direct/password')).toBeNull();
    expect(await store.accounts()).toEqual([]);
    await store.set('send-direct/password', 'p@ss wörd');
    await store.set('oauth/send/tokens', '{"refresh_token":"r1"}');
    expect(await store.get('send-direct/password')).toBe('p@ss wörd');

    // A second store on the same file is what another process (the app, a scheduled run) sees.
    const elsewhere = storeWith('correct horse battery staple');
    expect(await elsewhere.get('oauth/send/tokens')).toBe('{"refresh_token":"r1"}');
    expect((await elsewhere.accounts()).sort()).toEqual(['oauth/send/tokens', 'send-direct/password']);
    expect(await elsewhere.delete('oauth/send/tokens')).toBe(true);
    expect(await elsewhere.delete('oauth/send/tokens')).toBe(false);
    expect(await store.accounts()).toEqual(['send-direct/password']);
  });

  it('keeps each data directory apart, as the OS keychain does by service name', async () => {
    await storeWith('pass', 'Mail Settings (/a)').set('send-direct/password', 'secret-a');
    await storeWith('pass', 'Mail Settings (/b)').set('send-direct/password', 'secret-b');
    expect(await storeWith('pass', 'Mail Settings (/a)').get('send-direct/password')).toBe('secret-a');
    expect(await storeWith('pass', 'Mail Settings (/b)').get('send-direct/password')).toBe('secret-b');
  });

  it('writes the file readable by its owner only, with no secret and no account name in clear, and no temporary file left', async () => {
    await storeWith('pass').set('send-direct/password', 'visible-if-plain-0001');
    const text = await readFile(keychainFile, 'utf8');
    expect(text).not.toContain('visible-if-plain-0001');
    expect(text).not.toContain('send-direct');
    expect(text).not.toContain('Mail Settings');
    expect((await stat(keychainFile)).mode & 0o777).toBe(0o600);
    // Even over a file someone made readable to all: the write replaces it with a private one.
    await chmod(keychainFile, 0o644);
    await storeWith('pass').set('send-direct/password', 'changed');
    expect((await stat(keychainFile)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'keychain'))).toEqual(['secrets.json']);
  });

  it('draws a new key salt and nonce for every write', async () => {
    const store = storeWith('pass');
    await store.set('a', 'same');
    const first = JSON.parse(await readFile(keychainFile, 'utf8'));
    await store.set('b', 'other');
    await store.delete('b');
    const second = JSON.parse(await readFile(keychainFile, 'utf8'));
    expect(second.kdf).toEqual(first.kdf);
    expect(second.key.salt).not.toBe(first.key.salt);
    expect(second.cipher.nonce).not.toBe(first.cipher.nonce);
    expect(second.ciphertext).not.toBe(first.ciphertext);
    expect(first).toMatchObject({ format: 'mail-settings/keychain-file', version: 1, kdf: { name: 'scrypt', N: cheap.N, r: 8, p: 1 }, cipher: { name: 'aes-256-gcm' } });
  });

  it('a wrong passphrase is said as such, for reads and writes, and the file is left as it was', async () => {
    await storeWith('the right one').set('send-direct/password', 'kept');
    const before = await readFile(keychainFile, 'utf8');
    const wrong = storeWith('not the right one');
    const read = await failureOf(wrong.get('send-direct/password'));
    expect(read).toMatchObject({ code: 'KEYCHAIN_WRONG_PASSPHRASE', message: `The passphrase does not open the keychain file ${keychainFile}: it was made with another passphrase.` });
    expect(read.fix).toContain('Give the passphrase file the keychain file was made with');
    expect(await failureOf(wrong.set('send-direct/password', 'overwritten'))).toMatchObject({ code: 'KEYCHAIN_WRONG_PASSPHRASE' });
    expect(await failureOf(wrong.accounts())).toMatchObject({ code: 'KEYCHAIN_WRONG_PASSPHRASE' });
    expect(await readFile(keychainFile, 'utf8')).toBe(before);
    expect(await storeWith('the right one').get('send-direct/password')).toBe('kept');
  });

  const tamperings: readonly [string, (file: Record<string, unknown>) => void][] = [
    ['a ciphertext byte', (file) => {
      const bytes = Buffer.from(String(file['ciphertext']), 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      file['ciphertext'] = bytes.toString('base64');
    }],
    ['the tag', (file) => (file['tag'] = Buffer.alloc(16, 7).toString('base64'))],
    ['the nonce in the header', (file) => ((file['cipher'] as Record<string, unknown>)['nonce'] = Buffer.alloc(12, 1).toString('base64'))],
    ['the key salt in the header', (file) => ((file['key'] as Record<string, unknown>)['salt'] = Buffer.alloc(32, 1).toString('base64'))],
    ['an absurd scrypt cost (2^30, gigabytes of memory)', (file) => ((file['kdf'] as Record<string, unknown>)['N'] = 2 ** 30)],
  ];

  it.each(tamperings)('a file with %s changed is refused as damaged, and not written over', async (_what, tamper) => {
    await storeWith('pass').set('send-direct/password', 'kept');
    const file = JSON.parse(await readFile(keychainFile, 'utf8')) as Record<string, unknown>;
    tamper(file);
    const tampered = JSON.stringify(file);
    await writeFile(keychainFile, tampered);
    const failure = await failureOf(storeWith('pass').get('send-direct/password'));
    expect(failure).toMatchObject({ code: 'KEYCHAIN_DAMAGED', message: `The keychain file ${keychainFile} is damaged: it was changed or cut short after Mail Settings wrote it.` });
    expect(await failureOf(storeWith('pass').set('other', 'x'))).toMatchObject({ code: 'KEYCHAIN_DAMAGED' });
    expect(await readFile(keychainFile, 'utf8')).toBe(tampered);
  });

  it('a file cut short or not a keychain file at all is damaged; one from a newer version says so', async () => {
    await storeWith('pass').set('send-direct/password', 'kept');
    const whole = await readFile(keychainFile, 'utf8');
    await writeFile(keychainFile, whole.slice(0, whole.length / 2));
    expect(await failureOf(storeWith('pass').get('send-direct/password'))).toMatchObject({ code: 'KEYCHAIN_DAMAGED' });
    await writeFile(keychainFile, JSON.stringify({ ...JSON.parse(whole), version: 2 }));
    expect(await failureOf(storeWith('pass').get('send-direct/password'))).toMatchObject({
      code: 'KEYCHAIN_DAMAGED',
      message: `The keychain file ${keychainFile} was written by a newer version of Mail Settings.`,
    });
  });

  it('loses no write when two processes write at once (the file lock), nor when one process does', async () => {
    const [one, two] = [storeWith('pass'), storeWith('pass')];
    await Promise.all([
      ...Array.from({ length: 5 }, (_, n) => one.set(`one/${n}`, `secret ${n}`)),
      ...Array.from({ length: 5 }, (_, n) => two.set(`two/${n}`, `secret ${n}`)),
    ]);
    expect((await storeWith('pass').accounts()).sort()).toEqual([...['0', '1', '2', '3', '4'].map((n) => `one/${n}`), ...['0', '1', '2', '3', '4'].map((n) => `two/${n}`)]);
  });

  it('says what is wrong when the file can’t be written (its folder is a file)', async () => {
    await mkdir(join(dir, 'keychain'), { recursive: true });
    await writeFile(join(dir, 'keychain', 'not-a-folder'), '');
    const store = createFileSecretStore({ path: join(dir, 'keychain', 'not-a-folder', 'secrets.json'), service: 's', passphrase: () => Promise.resolve('pass'), scrypt: cheap });
    expect(await failureOf(store.set('a', 'b'))).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('not-a-folder') });
  });
});

describe('the keychain file’s passphrase: from a private file or a systemd credential, never from argv or env text', () => {
  const passphraseFile = () => join(dir, 'passphrase');

  it('reads the first line of a file only its owner can read', async () => {
    await writeFile(passphraseFile(), 'correct horse\n', { mode: 0o600 });
    expect(await readKeychainPassphrase(keychainFile, { passphraseFile: passphraseFile(), env: {} })).toBe('correct horse');
    await writeFile(passphraseFile(), 'with windows line end\r\n', { mode: 0o600 });
    expect(await readKeychainPassphrase(keychainFile, { passphraseFile: passphraseFile(), env: {} })).toBe('with windows line end');
  });

  it.each([0o640, 0o604, 0o644])('refuses a passphrase file with mode %o (others may read it)', async (mode) => {
    await writeFile(passphraseFile(), 'correct horse\n');
    await chmod(passphraseFile(), mode);
    const failure = await failureOf(readKeychainPassphrase(keychainFile, { passphraseFile: passphraseFile(), env: {} }));
    expect(failure).toMatchObject({ code: 'KEYCHAIN_PASSPHRASE_FILE_UNSAFE', fix: `Make it readable by its owner only (chmod 600 ${passphraseFile()}), then try again. Nothing was read from it.` });
    expect(failure.message).toContain(`mode 0${mode.toString(8)}`);
  });

  it('takes the systemd credential when no file is named ($CREDENTIALS_DIRECTORY/mail-settings-keychain)', async () => {
    const credentials = join(dir, 'credentials');
    await mkdir(credentials, { mode: 0o500 });
    await writeFile(join(credentials, 'mail-settings-keychain'), 'from systemd', { mode: 0o400 });
    expect(await readKeychainPassphrase(keychainFile, { passphraseFile: null, env: { CREDENTIALS_DIRECTORY: credentials } })).toBe('from systemd');
  });

  it('says there is no passphrase, and how to give one, when there is none; a missing or empty file too', async () => {
    const none = await failureOf(readKeychainPassphrase(keychainFile, { passphraseFile: null, env: { MAIL_SETTINGS_KEYCHAIN_PASSPHRASE: 'ignored' } }));
    expect(none).toMatchObject({ code: 'KEYCHAIN_PASSPHRASE_MISSING', message: `Mail Settings has no passphrase for the keychain file ${keychainFile}.` });
    expect(none.fix).toContain('--keychain-passphrase-file FILE');
    expect(none.fix).toContain('LoadCredential=mail-settings-keychain:FILE');
    expect(await failureOf(readKeychainPassphrase(keychainFile, { passphraseFile: passphraseFile(), env: {} }))).toMatchObject({
      code: 'KEYCHAIN_PASSPHRASE_MISSING',
      message: `The passphrase file ${passphraseFile()} can’t be read (there is no such file).`,
    });
    await writeFile(passphraseFile(), '\n', { mode: 0o600 });
    expect(await failureOf(readKeychainPassphrase(keychainFile, { passphraseFile: passphraseFile(), env: {} }))).toMatchObject({ code: 'KEYCHAIN_PASSPHRASE_MISSING' });
  });

  it('a store whose passphrase can’t be read fails every operation with that reason, and writes nothing', async () => {
    await writeFile(passphraseFile(), 'correct horse\n', { mode: 0o644 });
    const store = createFileSecretStore({
      path: keychainFile,
      service: 's',
      passphrase: () => readKeychainPassphrase(keychainFile, { passphraseFile: passphraseFile(), env: {} }),
      scrypt: cheap,
    });
    expect(await failureOf(store.get('a'))).toMatchObject({ code: 'KEYCHAIN_PASSPHRASE_FILE_UNSAFE' });
    expect(await failureOf(store.set('a', 'b'))).toMatchObject({ code: 'KEYCHAIN_PASSPHRASE_FILE_UNSAFE' });
    await expect(stat(keychainFile)).rejects.toMatchObject({ code: 'ENOENT' });
    // Once the mode is fixed, the same store reads it again (a long-running service needs no restart).
    await chmod(passphraseFile(), 0o600);
    await store.set('a', 'b');
    expect(await store.get('a')).toBe('b');
  });
});
