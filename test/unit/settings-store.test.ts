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
    openConfSettings(dataDir).setMailbox('send', settings);
    expect(openConfSettings(dataDir).getMailbox('send')).toEqual(settings);
  });

  it('starts empty', () => {
    expect(openConfSettings(dataDir).getMailbox('send')).toBeNull();
  });

  it('cannot hold a password, whatever a caller passes', async () => {
    const store = openConfSettings(dataDir);
    expect(() => store.setMailbox('send', { ...settings, password: 'hunter2' } as SendDirectSettings)).toThrow(/password/);
    expect(store.getMailbox('send')).toBeNull();
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8').catch(() => '')).not.toContain('hunter2');
    // The file's own schema is the second lock: even conf itself refuses an unknown property.
    const conf = new Conf<Record<string, unknown>>(settingsStoreOptions(dataDir) as never);
    expect(() => conf.set('sendDirect', { ...settings, password: 'hunter2' })).toThrow(/must NOT have additional properties/);
  });

  it('migrates a format-1 file ("Use SSL" checkbox) to None / STARTTLS / SSL-TLS', async () => {
    const legacy = { __internal__: { migrations: { version: '1.0.0' } }, sendDirect: { ...settings, security: undefined, ssl: true } };
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify(legacy));
    expect(openConfSettings(dataDir).getMailbox('send')).toEqual({ ...settings, security: 'tls' });
    const onDisk = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
    expect(onDisk.mailboxes.send).not.toHaveProperty('ssl');
    expect(onDisk.__internal__.migrations.version).toBe('4.4.0');
  });

  it('never turns an old unticked "Use SSL" box into a password sent in clear text: STARTTLS, with a notice', async () => {
    const legacy = { __internal__: { migrations: { version: '1.0.0' } }, sendDirect: { ...settings, port: 25, security: undefined, allowInsecureAuth: undefined, ssl: false } };
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify(legacy));
    const store = openConfSettings(dataDir);
    expect(store.getMailbox('send')).toEqual({ ...settings, port: 25, security: 'starttls', allowInsecureAuth: false });
    expect(store.encryptionTurnedOnNotice('send')).toBe(true);
    // Saving is the user's own decision: the notice has done its job.
    store.setMailbox('send', { ...settings, security: 'none', allowInsecureAuth: true });
    expect(store.encryptionTurnedOnNotice('send')).toBe(false);
    expect(openConfSettings(dataDir).getMailbox('send')).toMatchObject({ security: 'none', allowInsecureAuth: true });
  });

  it('flags a format-2 file on None (2.0.0 set it without asking): STARTTLS, with a notice', async () => {
    const format2 = { __internal__: { migrations: { version: '2.0.0' } }, sendDirect: { ...settings, port: 587, security: 'none', allowInsecureAuth: undefined } };
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify(format2));
    const store = openConfSettings(dataDir);
    expect(store.getMailbox('send')).toMatchObject({ security: 'starttls', allowInsecureAuth: false });
    expect(store.encryptionTurnedOnNotice('send')).toBe(true);
  });

  it('stores the clear-text allowance with None only', () => {
    const store = openConfSettings(dataDir);
    store.setMailbox('send', { ...settings, security: 'tls', allowInsecureAuth: true });
    expect(store.getMailbox('send')).toMatchObject({ security: 'tls', allowInsecureAuth: false });
    expect(store.encryptionTurnedOnNotice('send')).toBe(false);
  });

  describe('format 4: mailboxes by id', () => {
    const onDisk = async () => JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
    const write = (content: unknown) => writeFile(join(dataDir, 'settings.json'), JSON.stringify(content));

    it('keeps Send Direct under mailboxes.send, and nothing at the top level but the known keys', async () => {
      openConfSettings(dataDir).setMailbox('send', settings);
      const stored = await onDisk();
      expect(stored.mailboxes).toEqual({ send: settings });
      expect(Object.keys(stored).sort()).toEqual(['__internal__', 'mailboxes']);
    });

    it('format 1 ("Use SSL" ticked) arrives in the new shape', async () => {
      await write({ __internal__: { migrations: { version: '1.0.0' } }, sendDirect: { ...settings, port: 587, security: undefined, ssl: true } });
      expect(openConfSettings(dataDir).getMailbox('send')).toEqual({ ...settings, port: 587, security: 'starttls' });
      const stored = await onDisk();
      expect(stored).not.toHaveProperty('sendDirect');
      expect(stored).not.toHaveProperty('notices');
      expect(stored.mailboxes.send).toEqual({ ...settings, port: 587, security: 'starttls' });
    });

    it('format 2 on None arrives in the new shape, STARTTLS, with the 3.0.0 notice for Send Direct', async () => {
      await write({ __internal__: { migrations: { version: '2.0.0' } }, sendDirect: { ...settings, port: 25, security: 'none' } });
      const store = openConfSettings(dataDir);
      expect(store.getMailbox('send')).toEqual({ ...settings, port: 25, security: 'starttls', allowInsecureAuth: false });
      expect(store.encryptionTurnedOnNotice('send')).toBe(true);
      const stored = await onDisk();
      expect(stored).not.toHaveProperty('sendDirect');
      expect(stored.notices).toEqual({ encryptionTurnedOn: ['send'] });
    });

    it('format 3 arrives in the new shape with its notice, its allowance, its sign-in and its trusted certificates', async () => {
      const account = { provider: { kind: 'office365' }, username: 'sales@example.com', accountKey: 'key', status: 'signed-in', lastRefreshedAt: null, reason: null };
      const trusted = { fingerprint256: Array.from({ length: 32 }, () => 'AB').join(':'), pem: 'PEM', trustedAt: '2024-01-01T00:00:00.000Z' };
      await write({
        __internal__: { migrations: { version: '3.0.0' } },
        sendDirect: { ...settings, security: 'none', allowInsecureAuth: true },
        notices: { sendDirectEncryptionTurnedOn: true },
        accounts: { send: account },
        trustedCertificates: { 'smtp.example.com:465': trusted },
      });
      const store = openConfSettings(dataDir);
      expect(store.getMailbox('send')).toEqual({ ...settings, security: 'none', allowInsecureAuth: true });
      expect(store.encryptionTurnedOnNotice('send')).toBe(true);
      expect(store.getAccount('send')).toEqual(account);
      expect(store.trustedCertificate('smtp.example.com:465')).toEqual(trusted);
      expect((await onDisk()).__internal__.migrations.version).toBe('4.4.0');
    });

    it('format 3 without a notice and without Send Direct arrives empty', async () => {
      await write({ __internal__: { migrations: { version: '3.0.0' } }, notices: {} });
      const store = openConfSettings(dataDir);
      expect(store.getMailbox('send')).toBeNull();
      expect(store.encryptionTurnedOnNotice('send')).toBe(false);
      expect(await onDisk()).not.toHaveProperty('notices');
    });

    it('saving Send Direct ends its notice', async () => {
      await write({ __internal__: { migrations: { version: '3.0.0' } }, sendDirect: settings, notices: { sendDirectEncryptionTurnedOn: true } });
      const store = openConfSettings(dataDir);
      store.setMailbox('send', settings);
      expect(store.encryptionTurnedOnNotice('send')).toBe(false);
      expect(await onDisk()).not.toHaveProperty('notices');
    });

    it('refuses a password at the top level, in a mailbox, or under an unknown mailbox id', () => {
      const conf = new Conf<Record<string, unknown>>(settingsStoreOptions(dataDir) as never);
      expect(() => conf.set('password', 'hunter2')).toThrow(/must NOT have additional properties/);
      expect(() => conf.set('mailboxes', { send: { ...settings, password: 'hunter2' } })).toThrow(/must NOT have additional properties/);
      expect(() => conf.set('mailboxes', { other: settings })).toThrow(/must NOT have additional properties/);
    });
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
