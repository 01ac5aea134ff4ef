import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../src/main/node-runtime';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';
import type { InboxSettingsInput } from '../../src/shared/inbox';
import { signInFirstAdmin } from '../support/admin-session';

const settings: InboxSettingsInput = {
  serverName: 'imap.example.test',
  port: 993,
  security: 'tls',
  userName: 'leads@example.test',
  authMethod: 'password',
  allowInsecureAuth: false,
  recordType: 'Web Lead',
  keepOnServer: false,
};

let dataDir: string;
let runtime: Runtime;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-admin-channels-'));
  runtime = await startRuntime({ dataDir, openSettings: openConfSettings, externalOpener: { open: async () => undefined }, secrets: createMemorySecretStore(), accountCheckIntervalMs: 0 });
});
afterEach(async () => {
  await runtime.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('admin-only channels of the handler table (what the app and the web UI run)', () => {
  it('saveInbox answers ADMIN_REQUIRED without an administrator session and saves inside one', async () => {
    const save = () => runtime.dispatch('saveInbox', { inbox: 'lead', settings, password: { kind: 'set', value: 'inbox password' } });
    expect(await save()).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED', message: expect.stringContaining('there is none yet') } });
    expect(await runtime.dispatch('getInbox', { inbox: 'lead' })).toMatchObject({ ok: true, value: { settings: null } });

    await signInFirstAdmin(runtime.services);
    expect(await save()).toMatchObject({ ok: true, value: { settings: { serverName: 'imap.example.test' } } });

    expect(await runtime.dispatch('adminSignOut', {})).toMatchObject({ ok: true, value: { signedIn: null } });
    expect(await save()).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED', message: 'Only an administrator of Mail Settings can do this.' } });
    expect(await runtime.dispatch('resetInboxCounter', { inbox: 'lead' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
    expect(await runtime.dispatch('addActivityType', { name: 'Trade Show' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
    // Not admin-only: reading, and Send Direct's own sign-in.
    expect(await runtime.dispatch('listActivityTypes', {})).toMatchObject({ ok: true });
    expect(await runtime.dispatch('resetAccount', { mailbox: 'send' })).toMatchObject({ ok: true });
    expect(await runtime.dispatch('resetAccount', { mailbox: 'lead' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
  });

  it('getAdminStatus tells the window what to offer', async () => {
    expect(await runtime.dispatch('getAdminStatus', {})).toEqual({ ok: true, value: { administratorsExist: false, storeMissing: false, signedIn: null } });
    await signInFirstAdmin(runtime.services);
    expect(await runtime.dispatch('getAdminStatus', {})).toMatchObject({ ok: true, value: { administratorsExist: true, signedIn: { email: 'admin@example.test' } } });
  });
});
