import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newIntegrationId } from '../../src/main/integration/integration-ids';
import { startRuntime, type Runtime } from '../../src/main/node-runtime';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';
import type { Channel, EventPayloads, RequestOf, ResponseOf } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import type { IntegrationSettingsInput } from '../../src/shared/integration';
import { signInFirstAdmin } from '../support/admin-session';

/**
 * Email Integration's rules through the handler table (zod parsing and the admin gate included), on a real
 * settings file and records database, with the keychain in memory: what the dashboard and the CLI run,
 * short of a mail server (test/integration/integration-service.test.ts has Dovecot).
 */

let dataDir: string;
let runtime: Runtime;
let secrets: ReturnType<typeof createMemorySecretStore>;
let rowsSeen: Array<EventPayloads['integrationsChanged']>;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-integration-'));
  secrets = createMemorySecretStore();
  runtime = await startRuntime({ dataDir, openSettings: openConfSettings, externalOpener: { open: async () => undefined }, secrets, accountCheckIntervalMs: 0 });
  rowsSeen = [];
  runtime.services.events.on('integrationsChanged', (rows) => rowsSeen.push(rows));
});
afterEach(async () => {
  await runtime.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  return runtime.dispatch(channel, request) as Promise<Result<ResponseOf<C>>>;
}

function form(patch: Partial<IntegrationSettingsInput> = {}): IntegrationSettingsInput {
  return {
    mailbox: 'sales@example.com',
    host: 'imap.example.com',
    port: 993,
    secure: true,
    configurationName: 'Sales',
    description: 'Leads from the web site',
    authMethod: 'password',
    ...patch,
  };
}

async function added(patch: Partial<IntegrationSettingsInput> = {}, password = 'mailbox password 1'): Promise<string> {
  const result = await call('addIntegration', { settings: form(patch), password });
  if (!result.ok) throw new Error(`addIntegration: ${result.error.code} ${result.error.message}`);
  return result.value.id;
}

describe('adding a credential', () => {
  it('is for administrators: ADMIN_REQUIRED without a session, and nothing is kept', async () => {
    expect(await call('addIntegration', { settings: form(), password: 'secret-1' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
    expect(await call('listIntegrations', {})).toEqual({ ok: true, value: [] });
    expect(secrets.entries.size).toBe(0);
  });

  it('keeps the password in the keychain only, and the row says only that one is stored', async () => {
    await signInFirstAdmin(runtime.services);
    const result = await call('addIntegration', { settings: form({ mailbox: 'Sales@Example.COM' }), password: 'Pa55-word!' });
    expect(result).toMatchObject({
      ok: true,
      value: { kind: 'integration', configurationName: 'Sales', mailbox: 'sales@example.com', host: 'imap.example.com', hasPassword: true, status: null, aliasCount: 1 },
    });
    const id = result.ok ? result.value.id : '';
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(secrets.entries.get(`integration/${id}/password`)).toBe('Pa55-word!');
    expect(JSON.stringify(result)).not.toContain('Pa55-word!');
    expect(await readFile(join(dataDir, 'settings.json'), 'utf8')).not.toContain('Pa55-word!');
    expect(JSON.stringify(rowsSeen)).not.toContain('Pa55-word!');
    expect(rowsSeen.at(-1)?.map((row) => row.id)).toEqual([id]);
  });

  it('requires the password for password sign-in', async () => {
    await signInFirstAdmin(runtime.services);
    expect(await call('addIntegration', { settings: form(), password: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fieldErrors: { password: 'Enter the mailbox’s password.' } } });
  });

  it('comes with a default alias for its own address, to the Lead Inbox, deleted with it', async () => {
    await signInFirstAdmin(runtime.services);
    const id = await added();
    const aliases = await call('listAliases', { credentialId: id });
    expect(aliases).toMatchObject({ ok: true, value: [{ address: 'sales@example.com', credentialId: id, isDefault: true, target: { kind: 'lead', activityType: 'Web Lead' } }] });
    const aliasId = aliases.ok ? (aliases.value[0]?.id ?? '') : '';
    expect(await call('deleteAlias', { id: aliasId })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('own alias') } });
    expect(await call('deleteIntegration', { id })).toEqual({ ok: true, value: [] });
    expect(await call('listAliases', {})).toEqual({ ok: true, value: [] });
    expect([...secrets.entries.keys()].filter((account) => account.startsWith('integration/'))).toEqual([]);
  });
});

describe('the Mailbox rules (seed 002)', () => {
  it('a mailbox is set up once, whatever its case', async () => {
    await signInFirstAdmin(runtime.services);
    await added();
    expect(await call('addIntegration', { settings: form({ mailbox: 'SALES@example.com', configurationName: 'Again' }), password: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'sales@example.com is already set up as “Sales”.', fieldErrors: { mailbox: '“Sales” already uses this mailbox.' } },
    });
  });

  it('a mailbox may not be an alias of another mailbox, and an alias may not be another mailbox', async () => {
    await signInFirstAdmin(runtime.services);
    const sales = await added();
    expect(await call('addAlias', { address: 'sales+web@example.com', credentialId: sales, target: { kind: 'lead', activityType: 'Web Lead', owner: 'Ann' } })).toMatchObject({ ok: true });
    expect(await call('addIntegration', { settings: form({ mailbox: 'sales+web@example.com', configurationName: 'Web' }), password: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'sales+web@example.com is an alias of “Sales” (sales@example.com), not a mailbox of its own.' },
    });
    const support = await added({ mailbox: 'support@example.com', configurationName: 'Support' });
    expect(await call('addAlias', { address: 'support@example.com', credentialId: sales, target: { kind: 'serviceDesk', queue: 'Support' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fieldErrors: { address: 'This address is already an alias.' } },
    });
    expect(await call('addAlias', { address: 'sales+web@example.com', credentialId: support, target: { kind: 'serviceDesk', queue: 'Support' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'sales+web@example.com is already an alias of “Sales”.' },
    });
  });

  it('an alias to the Lead Inbox needs an activity type that exists', async () => {
    await signInFirstAdmin(runtime.services);
    const sales = await added();
    expect(await call('addAlias', { address: 'web@example.com', credentialId: sales, target: { kind: 'lead', activityType: 'No Such Type', owner: '' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fieldErrors: { activityType: 'There is no activity type “No Such Type”.' } },
    });
  });
});

describe('deleting a credential', () => {
  it('is refused while other aliases use it, naming them; allowed once they are gone', async () => {
    await signInFirstAdmin(runtime.services);
    const id = await added();
    await call('addAlias', { address: 'sales+web@example.com', credentialId: id, target: { kind: 'lead', activityType: 'Web Lead', owner: '' } });
    const all = await call('addAlias', { address: 'support@example.com', credentialId: id, target: { kind: 'serviceDesk', queue: 'Support' } });
    expect(await call('deleteIntegration', { id })).toMatchObject({
      ok: false,
      error: { code: 'INTEGRATION_IN_USE', message: 'sales+web@example.com, support@example.com use this mailbox: delete those aliases first.' },
    });
    const aliases = all.ok ? all.value.filter((alias) => !alias.isDefault) : [];
    expect(aliases).toHaveLength(2);
    for (const alias of aliases) expect(await call('deleteAlias', { id: alias.id })).toMatchObject({ ok: true });
    expect(await call('deleteIntegration', { id })).toMatchObject({ ok: true, value: [] });
    expect(await call('getIntegration', { id })).toMatchObject({ ok: false, error: { code: 'INTEGRATION_NOT_FOUND' } });
  });
});

describe('Change Password (seed 002)', () => {
  it('refuses New and Confirm Password that differ, then keeps a matching one', async () => {
    await signInFirstAdmin(runtime.services);
    const id = await added();
    expect(await call('changeIntegrationPassword', { id, newPassword: 'new-one', confirmPassword: 'new-0ne' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fieldErrors: { confirmPassword: 'The passwords do not match.' } },
    });
    expect(secrets.entries.get(`integration/${id}/password`)).toBe('mailbox password 1');
    expect(await call('changeIntegrationPassword', { id, newPassword: 'new-one', confirmPassword: 'new-one' })).toMatchObject({ ok: true, value: { id, hasPassword: true, status: null } });
    expect(secrets.entries.get(`integration/${id}/password`)).toBe('new-one');
  });
});

describe('Details › Save', () => {
  it('a new host drops the stored password (it was given for the old one), and the default alias follows the mailbox', async () => {
    await signInFirstAdmin(runtime.services);
    const id = await added();
    expect(await call('updateIntegration', { id, settings: form({ description: 'Changed' }) })).toMatchObject({ ok: true, value: { hasPassword: true } });
    expect(await call('testIntegration', { id, settings: form({ host: 'imap.elsewhere.example' }), password: { kind: 'keep' } })).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_NEEDED_FOR_NEW_SERVER' },
    });
    expect(await call('updateIntegration', { id, settings: form({ host: 'imap.elsewhere.example', mailbox: 'leads@example.com' }) })).toMatchObject({ ok: true, value: { hasPassword: false } });
    expect(secrets.entries.has(`integration/${id}/password`)).toBe(false);
    expect(await call('listAliases', { credentialId: id })).toMatchObject({ ok: true, value: [{ address: 'leads@example.com', isDefault: true }] });
  });
});

describe('the dashboard', () => {
  it('lists the built-in inboxes from their saved settings before the added mailboxes', async () => {
    await signInFirstAdmin(runtime.services);
    const saved = await call('saveInbox', {
      inbox: 'lead',
      settings: { serverName: 'imap.example.com', port: 993, security: 'tls', userName: 'leads@example.com', authMethod: 'password', allowInsecureAuth: false, recordType: 'Web Lead' },
      password: { kind: 'set', value: 'lead password' },
    });
    expect(saved.ok).toBe(true);
    await added();
    expect(await call('addIntegration', { settings: form({ mailbox: 'leads@example.com', configurationName: 'Leads' }), password: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', fieldErrors: { mailbox: 'The Lead Inbox already reads this mailbox.' } },
    });
    const rows = await call('listIntegrations', {});
    expect(rows).toMatchObject({
      ok: true,
      value: [
        { id: 'lead', kind: 'leadInbox', configurationName: 'Lead Inbox', mailbox: 'leads@example.com', hasPassword: true, settings: null, status: null },
        { kind: 'integration', configurationName: 'Sales' },
      ],
    });
  });
});

describe('ids', () => {
  it('are 12 lowercase hex digits, never one already taken', () => {
    const bytes = [Buffer.from('aaaaaaaaaaaa', 'hex'), Buffer.from('0123456789ab', 'hex')];
    expect(newIntegrationId(new Set(['aaaaaaaaaaaa']), () => bytes.shift() ?? Buffer.alloc(6))).toBe('0123456789ab');
    expect(newIntegrationId(new Set())).toMatch(/^[0-9a-f]{12}$/);
  });
});
