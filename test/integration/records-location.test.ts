import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretRegistry } from '../../src/main/log/redact';
import { createRecordsDatabaseSettings } from '../../src/main/records/records-database-settings';
import { databaseUrlEnvVar } from '../../src/main/records/records-database-url';
import { resolveRecordsLocation } from '../../src/main/records/records-location';
import { openRecordsStore } from '../../src/main/records/records-store';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import { openConfSettings, type SettingsStore } from '../../src/main/settings/settings-store';
import { ErrorCode } from '../../src/shared/errors';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';

/**
 * Where the records are (issue 16): `--database`, then MAIL_SETTINGS_DATABASE_URL, then the app's saved
 * setting, then the data directory. The saved setting keeps the address in the settings file and the
 * password in the keychain (the real test keyring), and resolving puts the password back.
 */
describe('records location: resolution order, and the saved database’s password in the keychain (test bed PostgreSQL and keyring)', () => {
  let dataDir: string;
  let database: TestDatabase;
  let settings: SettingsStore;
  /** The test database's address without its password, and the password. */
  let bareUrl: string;
  let password: string;
  const keychain = () => createKeytarSecretStore(keychainServiceFor(dataDir));
  const service = () => createRecordsDatabaseSettings({ settings, secrets: keychain(), secretRegistry: new SecretRegistry(), inUse: { location: dataDir, inUse: { kind: 'builtIn', file: join(dataDir, 'records.sqlite') } } });
  const resolve = (commandLineUrl: string | null = null, env: NodeJS.ProcessEnv = {}) => resolveRecordsLocation({ dataDir, commandLineUrl, env, settings, secrets: keychain() });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-records-location-'));
    database = await createTestDatabase();
    settings = openConfSettings(dataDir);
    const url = new URL(database.url);
    password = decodeURIComponent(url.password);
    url.password = '';
    bareUrl = url.href;
  });
  afterAll(async () => {
    await clearKeychainOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
    await database.drop();
  });

  it('uses the data directory when nothing else is chosen', async () => {
    expect(await resolve()).toEqual({ location: dataDir, inUse: { kind: 'builtIn', file: join(dataDir, 'records.sqlite') } });
  });

  it('refuses a wrong password with PostgreSQL’s mapped message on the address field, and saves nothing', async () => {
    const refused = await service().save({ choice: 'postgres', url: bareUrl, password: { kind: 'set', value: 'not-the-password' } });
    expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.DatabaseAuthFailed, fieldErrors: { url: expect.stringContaining('refused the user name or password') } } });
    expect(JSON.stringify(refused)).not.toContain('not-the-password');
    expect(settings.getRecordsDatabase()).toBeNull();
    expect(await keychain().get('database/password')).toBeNull();
  });

  it('saves the address in the settings file without the password, the password in the keychain, and resolving puts it back', async () => {
    // The password typed into the address: it still goes to the keychain, not the file.
    const saved = await service().save({ choice: 'postgres', url: database.url, password: { kind: 'keep' } });
    expect(saved).toMatchObject({ ok: true, value: { saved: { choice: 'postgres', url: bareUrl, passwordStored: true }, message: expect.stringContaining('It takes effect when Mail Settings restarts.') } });
    expect(JSON.stringify(saved)).not.toContain(password);

    const bytes = await readFile(join(dataDir, 'settings.json'));
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ recordsDatabase: { url: bareUrl }, __internal__: { migrations: { version: '4.4.0' } } });
    expect(bytes.includes(Buffer.from(password))).toBe(false);
    expect(bytes.includes(Buffer.from(encodeURIComponent(password)))).toBe(false);
    expect(await keychain().get('database/password')).toBe(password);

    const resolved = await resolve();
    expect(resolved.inUse).toEqual({ kind: 'postgres', url: bareUrl.replace('@', ':***@'), source: 'settings' });
    const store = await openRecordsStore(resolved.location);
    try {
      expect((await store.activityTypes()).map((type) => type.name)).toContain('Web Lead');
    } finally {
      await store.close();
    }
  });

  it('puts MAIL_SETTINGS_DATABASE_URL before the saved setting, and --database before both', async () => {
    const fromEnv = 'postgres://env-user:env-secret@env.example.com/records';
    const fromCommandLine = 'postgres://cli-user@cli.example.com/records';
    expect(await resolve(null, { [databaseUrlEnvVar]: fromEnv })).toEqual({
      location: { databaseUrl: fromEnv },
      inUse: { kind: 'postgres', url: 'postgres://env-user:***@env.example.com/records', source: 'environment' },
    });
    expect(await resolve(fromCommandLine, { [databaseUrlEnvVar]: fromEnv })).toEqual({
      location: { databaseUrl: fromCommandLine },
      inUse: { kind: 'postgres', url: fromCommandLine, source: 'commandLine' },
    });
    // An empty variable is no choice.
    expect((await resolve(null, { [databaseUrlEnvVar]: '' })).inUse).toMatchObject({ source: 'settings' });
  });

  it('sends the stored password only to the database it was saved for', async () => {
    const tried: string[] = [];
    const recording = createRecordsDatabaseSettings({
      settings,
      secrets: keychain(),
      secretRegistry: new SecretRegistry(),
      inUse: { location: dataDir, inUse: { kind: 'builtIn', file: join(dataDir, 'records.sqlite') } },
      tryDatabase: async (url) => {
        tried.push(url);
      },
    });
    // The same server by another name: "keep" sends no password there.
    const elsewhere = new URL(bareUrl);
    elsewhere.hostname = 'localhost';
    expect(await recording.test({ choice: 'postgres', url: elsewhere.href, password: { kind: 'keep' } })).toMatchObject({ ok: true });
    expect(await recording.test({ choice: 'postgres', url: bareUrl, password: { kind: 'keep' } })).toMatchObject({ ok: true });
    expect(tried.map((url) => new URL(url).password)).toEqual(['', encodeURIComponent(password)]);
  });

  it('never writes a password into the settings file, whoever asks', () => {
    expect(() => settings.setRecordsDatabase({ url: database.url })).toThrow();
    expect(() => settings.setRecordsDatabase({ url: `${bareUrl}?password=secret` })).toThrow();
    expect(settings.getRecordsDatabase()).toEqual({ url: bareUrl });
  });

  it('goes back to the built-in database, forgetting the password', async () => {
    expect(await service().save({ choice: 'builtIn' })).toMatchObject({ ok: true, value: { saved: { choice: 'builtIn' } } });
    expect(await keychain().get('database/password')).toBeNull();
    expect((await resolve()).inUse).toEqual({ kind: 'builtIn', file: join(dataDir, 'records.sqlite') });
  });
});
