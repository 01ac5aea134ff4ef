import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import type { Channel, RequestOf, ResponseOf } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import type { IntegrationSettingsInput } from '../../src/shared/integration';
import { signInFirstAdmin } from '../support/admin-session';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { startLocalRuntime } from '../support/local-runtime';
import { addUser, secretToolLookup, testbed, type TestUser } from '../testbed/client';

/**
 * Email Integration's Test Connection (seed 002) through the handler table, against the test bed's Dovecot
 * and the real keychain: each of the seed's examples reached, in the product's words.
 */

let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-integration-'));
  runtime = await startLocalRuntime(dataDir);
  await signInFirstAdmin(runtime.services);
});
afterAll(async () => {
  await runtime.stop();
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  return runtime.dispatch(channel, request) as Promise<Result<ResponseOf<C>>>;
}

async function newUser(tag: string): Promise<TestUser> {
  return addUser(`${tag}-${randomUUID().slice(0, 8)}@example.test`);
}

/** The form filled in for the test bed's Dovecot over IMAP with SSL/TLS (Use Secure Connection ticked). */
function form(user: Pick<TestUser, 'email'>, patch: Partial<IntegrationSettingsInput> = {}): IntegrationSettingsInput {
  return {
    mailbox: user.email,
    host: testbed().host,
    port: testbed().dovecot.ports.imaps,
    secure: true,
    configurationName: `Integration ${user.email}`,
    description: 'A test bed mailbox',
    authMethod: 'password',
    ...patch,
  };
}

describe('Test Connection of an integration mailbox (seed 002)', () => {
  it('succeeds with the typed password, then with the stored one, and the row turns green', async () => {
    const user = await newUser('integration-ok');
    const success = { ok: true, value: { message: 'We were able to connect to your mailbox.' } };
    expect(await call('testIntegration', { settings: form(user), password: { kind: 'set', value: user.password } })).toEqual(success);
    const added = await call('addIntegration', { settings: form(user), password: user.password });
    if (!added.ok) throw new Error(added.error.message);
    expect(await secretToolLookup(keychainServiceFor(dataDir), `integration/${added.value.id}/password`)).toBe(user.password);
    expect(await call('testIntegration', { id: added.value.id, settings: form(user), password: { kind: 'keep' } })).toEqual(success);
    expect(await call('getIntegration', { id: added.value.id })).toMatchObject({ ok: true, value: { status: { ok: true, error: null }, lastSuccessAt: expect.any(String) } });
    // STARTTLS on the plain port when Use Secure Connection is cleared.
    expect(await call('testIntegration', { settings: form(user, { secure: false, port: testbed().dovecot.ports.imap }), password: { kind: 'set', value: user.password } })).toEqual(success);
  });

  it('a wrong password: the server did not accept the user name or password', async () => {
    const user = await newUser('integration-wrong');
    const added = await call('addIntegration', { settings: form(user), password: 'not-the-password' });
    if (!added.ok) throw new Error(added.error.message);
    expect(await call('testIntegration', { id: added.value.id, settings: form(user), password: { kind: 'keep' } })).toMatchObject({
      ok: false,
      error: { code: 'IMAP_AUTH_FAILED', message: 'The mail server did not accept the user name or password.', fix: expect.stringContaining('Check the Mailbox and the Password'), fieldErrors: { password: expect.any(String) } },
    });
    // The red cross and why, on the dashboard.
    expect(await call('getIntegration', { id: added.value.id })).toMatchObject({ ok: true, value: { status: { ok: false, error: { code: 'IMAP_AUTH_FAILED' } }, lastSuccessAt: null } });
    // After Change Password with the right one, Test Connection connects.
    expect(await call('changeIntegrationPassword', { id: added.value.id, newPassword: user.password, confirmPassword: user.password })).toMatchObject({ ok: true, value: { status: null } });
    expect(await call('testIntegration', { id: added.value.id, settings: form(user), password: { kind: 'keep' } })).toMatchObject({ ok: true });
  });

  it('an unknown host: no server by that name', async () => {
    const user = await newUser('integration-host');
    expect(await call('testIntegration', { settings: form(user, { host: 'no-such-host.invalid' }), password: { kind: 'set', value: user.password } })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_HOST', message: 'No server called “no-such-host.invalid” could be found.', fix: expect.stringContaining('Host'), fieldErrors: { host: expect.any(String) } },
    });
  });

  it('Use Secure Connection cleared against the SSL/TLS port: the server wants a secure connection', async () => {
    const user = await newUser('integration-plain');
    const { imaps } = testbed().dovecot.ports;
    expect(await call('testIntegration', { settings: form(user, { secure: false }), password: { kind: 'set', value: user.password } })).toMatchObject({
      ok: false,
      error: {
        code: 'PLAIN_ON_TLS_PORT',
        message: `The server ${testbed().host}:${imaps} wants a secure connection, and Use Secure Connection is cleared.`,
        fix: 'Tick Use Secure Connection, then click Test Connection again.',
        fieldErrors: { secure: 'Tick Use Secure Connection: this server wants a secure connection.' },
      },
    });
  });
});
