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
  allowInsecureAuth: false,
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
    expect(onDisk.__internal__.migrations.version).toBe('3.0.0');
  });

  it('never turns an old unticked "Use SSL" box into a password sent in clear text: STARTTLS, with a notice', async () => {
    const legacy = { __internal__: { migrations: { version: '1.0.0' } }, sendDirect: { ...settings, port: 25, security: undefined, allowInsecureAuth: undefined, ssl: false } };
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify(legacy));
    const store = openConfSettings(dataDir);
    expect(store.getSendDirect()).toEqual({ ...settings, port: 25, security: 'starttls', allowInsecureAuth: false });
    expect(store.encryptionTurnedOnNotice()).toBe(true);
    // Saving is the user's own decision: the notice has done its job.
    store.setSendDirect({ ...settings, security: 'none', allowInsecureAuth: true });
    expect(store.encryptionTurnedOnNotice()).toBe(false);
    expect(openConfSettings(dataDir).getSendDirect()).toMatchObject({ security: 'none', allowInsecureAuth: true });
  });

  it('flags a format-2 file on None (2.0.0 set it without asking): STARTTLS, with a notice', async () => {
    const format2 = { __internal__: { migrations: { version: '2.0.0' } }, sendDirect: { ...settings, port: 587, security: 'none', allowInsecureAuth: undefined } };
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify(format2));
    const store = openConfSettings(dataDir);
    expect(store.getSendDirect()).toMatchObject({ security: 'starttls', allowInsecureAuth: false });
    expect(store.encryptionTurnedOnNotice()).toBe(true);
  });

  it('stores the clear-text allowance with None only', () => {
    const store = openConfSettings(dataDir);
    store.setSendDirect({ ...settings, security: 'tls', allowInsecureAuth: true });
    expect(store.getSendDirect()).toMatchObject({ security: 'tls', allowInsecureAuth: false });
    expect(store.encryptionTurnedOnNotice()).toBe(false);
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
