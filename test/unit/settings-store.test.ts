import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Conf from 'conf';
import { openConfSettings, SettingsError, settingsStoreOptions } from '../../src/main/settings/settings-store';
import type { SendDirectSettings } from '../../src/shared/send-direct';

const settings: SendDirectSettings = {
  serverName: 'smtp.example.com',
  senderName: 'Sales',
  senderAddress: 'sales@example.com',
  userName: 'sales@example.com',
  authMethod: 'password',
  port: 465,
  security: 'tls',
};

describe('the settings file', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-unit-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps Send Direct settings across reopening', () => {
    openConfSettings(dataDir).setSendDirect(settings);
    expect(openConfSettings(dataDir).getSendDirect()).toEqual(settings);
  });

  it('starts empty', () => {
    expect(openConfSettings(dataDir).getSendDirect()).toBeNull();
  });

  it('cannot hold a password, whatever a caller passes', async () => {
    const store = openConfSettings(dataDir);
    expect(() => store.setSendDirect({ ...settings, password: 'hunter2' } as SendDirectSettings)).toThrow(/password/);
    expect(store.getSendDirect()).toBeNull();
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8').catch(() => '')).not.toContain('hunter2');
    // The file's own schema is the second lock: even conf itself refuses an unknown property.
    const conf = new Conf<Record<string, unknown>>(settingsStoreOptions(dataDir) as never);
    expect(() => conf.set('sendDirect', { ...settings, password: 'hunter2' })).toThrow(/must NOT have additional properties/);
  });

  it('migrates a format-1 file ("Use SSL" checkbox) to None / STARTTLS / SSL-TLS', async () => {
    const legacy = { __internal__: { migrations: { version: '1.0.0' } }, sendDirect: { ...settings, security: undefined, ssl: true } };
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify(legacy));
    expect(openConfSettings(dataDir).getSendDirect()).toEqual({ ...settings, security: 'tls' });
    const onDisk = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
    expect(onDisk.sendDirect).not.toHaveProperty('ssl');
    expect(onDisk.__internal__.migrations.version).toBe('2.0.0');
  });

  it('reports a damaged file with the way out, instead of crashing or wiping it', async () => {
    await writeFile(join(dataDir, 'settings.json'), '{ "sendDirect": { "port": "not a number" ');
    let thrown: unknown;
    try {
      openConfSettings(dataDir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    expect((thrown as SettingsError).appError).toMatchObject({ code: 'SETTINGS_UNREADABLE', fix: expect.stringContaining('rename the file') });
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).toContain('not a number');
  });
});
