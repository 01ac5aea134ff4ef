import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/main/events/event-bus';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { keychainErrors, SecretStoreError, type SecretStore } from '../../src/main/secrets/secret-store';
import { createSendDirectService } from '../../src/main/send-direct/send-direct-service';
import type { MailboxSettingsOf, StoredMailboxId } from '../../src/main/settings/mailbox-settings-schema';
import type { SettingsStore } from '../../src/main/settings/settings-store';
import type { SendDirectSettings, SendDirectView } from '../../src/shared/send-direct';

const settings: SendDirectSettings = {
  serverName: 'smtp.example.com',
  senderName: 'Sales',
  senderAddress: 'sales@example.com',
  userName: 'sales@example.com',
  authMethod: 'password',
  port: 587,
  security: 'starttls',
  allowInsecureAuth: false,
};

function memorySettings(): SettingsStore & { saved: SendDirectSettings | null } {
  return {
    path: '/memory/settings.json',
    saved: null,
    getMailbox<Id extends StoredMailboxId>() {
      return this.saved as MailboxSettingsOf<Id> | null;
    },
    setMailbox(_mailbox, next) {
      this.saved = next as SendDirectSettings;
    },
    getAccount: () => null,
    accountIds: () => [],
    setAccount: () => undefined,
    deleteAccount: () => undefined,
    trustedCertificate: () => null,
    trustCertificate: () => undefined,
    encryptionTurnedOnNotice: () => false,
    administratorsExist: () => false,
    recordAdministratorsExist: () => undefined,
    getIntegrations: () => ({ credentials: {}, aliases: {} }),
    setIntegrations: () => undefined,
    getRecordsDatabase: () => null,
    setRecordsDatabase: () => undefined,
  };
}

describe('Send Direct service (logic)', () => {
  it('stores the password in the secret store and tells the renderer only that one is stored', async () => {
    const secrets = createMemorySecretStore();
    const service = createSendDirectService({ settings: memorySettings(), secrets, events: createEventBus() });
    const result = await service.save(settings, { kind: 'set', value: 'hunter2' });
    expect(result).toEqual({ ok: true, value: { settings, passwordStored: true, encryptionTurnedOn: false } });
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(secrets.entries.get('send-direct/password')).toBe('hunter2');
  });

  it('keeps the stored password when asked to, and clears it when asked to', async () => {
    const secrets = createMemorySecretStore();
    const service = createSendDirectService({ settings: memorySettings(), secrets, events: createEventBus() });
    await service.save(settings, { kind: 'set', value: 'first' });
    expect(await service.save({ ...settings, senderName: 'Sales Team' }, { kind: 'keep' })).toMatchObject({ ok: true });
    expect(await service.password()).toBe('first');
    await service.save(settings, { kind: 'clear' });
    expect(await service.password()).toBeNull();
  });

  it.each([
    ['server name', { serverName: 'smtp.elsewhere.example' }],
    ['port', { port: 2525 }],
    ['user name', { userName: 'someone.else@example.com' }],
  ] as const)('refuses to keep the stored password for another %s, and changes nothing', async (_what, patch) => {
    const secrets = createMemorySecretStore();
    const store = memorySettings();
    const service = createSendDirectService({ settings: store, secrets, events: createEventBus() });
    await service.save(settings, { kind: 'set', value: 'first' });
    const result = await service.save({ ...settings, ...patch }, { kind: 'keep' });
    expect(result).toMatchObject({ ok: false, error: { code: 'PASSWORD_NEEDED_FOR_NEW_SERVER', fieldErrors: { password: 'Enter the password for the new server.' } } });
    expect(store.saved).toEqual(settings);
    // With the new server's own password it saves.
    expect(await service.save({ ...settings, ...patch }, { kind: 'set', value: 'second' })).toMatchObject({ ok: true });
    expect(await service.password()).toBe('second');
  });

  it('drops the password when the section switches to Modern Authentication', async () => {
    const secrets = createMemorySecretStore();
    const service = createSendDirectService({ settings: memorySettings(), secrets, events: createEventBus() });
    await service.save(settings, { kind: 'set', value: 'hunter2' });
    const result = await service.save({ ...settings, authMethod: 'oauth-office365' }, { kind: 'keep' });
    expect(result).toMatchObject({ ok: true, value: { passwordStored: false } });
    expect(secrets.entries.size).toBe(0);
  });

  it('changes nothing when the keychain refuses, and says what to do', async () => {
    const lockedKeychain: SecretStore = {
      ...createMemorySecretStore(),
      set: async () => {
        throw new SecretStoreError(keychainErrors.locked);
      },
    };
    const store = memorySettings();
    const service = createSendDirectService({ settings: store, secrets: lockedKeychain, events: createEventBus() });
    const result = await service.save(settings, { kind: 'set', value: 'hunter2' });
    expect(result).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_LOCKED', fix: expect.stringContaining('Unlock') } });
    expect(store.saved).toBeNull();
  });

  it('announces a save to the windows', async () => {
    const events = createEventBus();
    const seen: SendDirectView[] = [];
    events.on('sendDirectChanged', (view) => seen.push(view));
    const service = createSendDirectService({ settings: memorySettings(), secrets: createMemorySecretStore(), events });
    await service.save(settings, { kind: 'set', value: 'x1234' });
    expect(seen).toEqual([{ settings, passwordStored: true, encryptionTurnedOn: false }]);
  });
});
