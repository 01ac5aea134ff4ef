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
import { addressedMessage } from '../support/alias-messages';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { servedMessages } from '../support/retrieval-fixtures';
import { addUser, introspectViaBridge, secretToolLookup, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * Email Integration mailboxes on Modern Authentication (issue 15, "Authentication method … as elsewhere"):
 * a saved credential signs in on its own (`integration:<id>`, IMAP scopes, the real MSAL against the test
 * bed's identity provider), Test Connection and retrieval use its token on an XOAUTH2-only Dovecot that
 * checks it at the identity provider, and deleting the credential removes its tokens from the keychain.
 */

const imapScope = 'https://outlook.office.com/IMAP.AccessAsUser.All';

let dataDir: string;
let runtime: Runtime;
let user: TestUser;
let popup: ReturnType<typeof scriptedSignInWindow>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-integration-oauth-'));
  user = await addUser(`integration-oauth-${randomUUID().slice(0, 8)}@example.test`);
  popup = scriptedSignInWindow(() => ({ user }));
  runtime = await startLocalRuntime(dataDir, { popupOpener: popup, signInTimeoutMs: 20_000 });
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

/** The form for the test bed's XOAUTH2-only Dovecot (SSL/TLS), the mailbox on Office 365 Modern Authentication. */
function form(patch: Partial<IntegrationSettingsInput> = {}): IntegrationSettingsInput {
  return {
    mailbox: user.email,
    host: testbed().host,
    port: testbed().dovecotXoauth2Only.ports.imaps,
    secure: true,
    configurationName: `OAuth ${user.email}`,
    description: 'A mailbox that signs in with Modern Authentication',
    authMethod: 'oauth-office365',
    ...patch,
  };
}

const office365 = { kind: 'office365' } as const;

describe('an Email Integration mailbox on Modern Authentication', () => {
  it('is saved without a password, signs in on its own with IMAP scopes, tests green and is emptied with its token', async () => {
    // Not saved yet: the sign-in belongs to a saved mailbox.
    expect(await call('testIntegration', { settings: form(), password: { kind: 'keep' } })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN', message: expect.stringContaining('Save this mailbox') } });
    const added = await call('addIntegration', { settings: form(), password: '' });
    if (!added.ok) throw new Error(added.error.message);
    const id = added.value.id;
    expect(added.value).toMatchObject({ hasPassword: false, authMethod: 'oauth-office365' });

    // Saved, not signed in: Test Connection and a run say what to do, and nothing is read.
    expect(await call('testIntegration', { id, settings: form(), password: { kind: 'keep' } })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN', fix: expect.stringContaining('Sign in using Modern Authentication') } });

    const account = `integration:${id}` as const;
    const signedIn = await call('signIn', { mailbox: account, provider: office365, via: 'popup' });
    expect(signedIn).toMatchObject({ ok: true, value: { mailbox: account, status: 'signed-in', provider: 'office365', username: user.email } });
    const authorize = new URL(popup.shown.at(-1) ?? '');
    expect(authorize.searchParams.get('scope')?.split(' ')).toContain(imapScope);
    // The provider's page starts with the mailbox's address filled in.
    expect(authorize.searchParams.get('login_hint')).toBe(user.email);
    expect(await secretToolLookup(keychainServiceFor(dataDir), `oauth/${account}/msal-cache`)).not.toBeNull();

    expect(await call('testIntegration', { id, settings: form(), password: { kind: 'keep' } })).toEqual({ ok: true, value: { message: 'We were able to connect to your mailbox.' } });
    expect(await call('getIntegration', { id })).toMatchObject({ ok: true, value: { status: { ok: true, error: null } } });

    // Its token is its own: IMAP scope, issued for this sign-in.
    const token = await runtime.services.accounts.accessToken(account);
    if (!token.ok) throw new Error(token.error.message);
    expect((await introspectViaBridge(token.value.accessToken)).scope?.split(' ')).toContain(imapScope);

    const tag = randomUUID().slice(0, 8);
    await writeToMaildir(user.email, [addressedMessage(`OAuth lead ${tag}`, { to: user.email }).raw]);
    expect(await runtime.services.integrationRetrieval.checkNow(id)).toMatchObject({ ok: true, value: { retrieved: 1, expunged: 1 } });
    expect(await servedMessages(user)).toEqual([]);
    const notes = await (await runtime.services.records()).inbox.list({ inbox: 'lead' });
    expect(notes.filter((note) => note.source === `integration:${id}`).map((note) => note.subject)).toEqual([`OAuth lead ${tag}`]);

    // A token only goes to the provider's mail servers: another host is refused before any is handed out.
    const elsewhere = await call('testIntegration', { id, settings: form({ host: 'imap.example.com' }), password: { kind: 'keep' } });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'TOKEN_HOST_NOT_ALLOWED' } });

    // Deleted: the credential's sign-in and its tokens go with it.
    expect(await call('deleteIntegration', { id })).toMatchObject({ ok: true });
    expect(await call('getAccountState', { mailbox: account })).toMatchObject({ ok: true, value: { status: 'signed-out' } });
    expect(await secretToolLookup(keychainServiceFor(dataDir), `oauth/${account}/msal-cache`)).toBeNull();
  });

  it('a mailbox on a password has no Modern Authentication sign-in; going back to a password signs the old one out', async () => {
    const passwordOnly = await call('addIntegration', { settings: form({ authMethod: 'password', configurationName: 'Password mailbox', port: testbed().dovecot.ports.imaps }), password: user.password });
    if (!passwordOnly.ok) throw new Error(passwordOnly.error.message);
    expect(await call('signIn', { mailbox: `integration:${passwordOnly.value.id}`, provider: office365, via: 'popup' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('signIn', { mailbox: 'integration:no-such-mailbox', provider: office365, via: 'popup' })).toMatchObject({ ok: false, error: { code: 'INTEGRATION_NOT_FOUND' } });
    expect(await call('deleteIntegration', { id: passwordOnly.value.id })).toMatchObject({ ok: true });

    const added = await call('addIntegration', { settings: form({ mailbox: `other-${user.email}` }), password: '' });
    if (!added.ok) throw new Error(added.error.message);
    const account = `integration:${added.value.id}` as const;
    expect(await call('signIn', { mailbox: account, provider: office365, via: 'popup' })).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    expect(await call('updateIntegration', { id: added.value.id, settings: form({ mailbox: `other-${user.email}`, authMethod: 'password' }) })).toMatchObject({ ok: true });
    expect(await call('getAccountState', { mailbox: account })).toMatchObject({ ok: true, value: { status: 'signed-out' } });
    expect(await call('deleteIntegration', { id: added.value.id })).toMatchObject({ ok: true });
  });

  it('signing an added mailbox in is for administrators', async () => {
    const added = await call('addIntegration', { settings: form({ mailbox: `admin-${user.email}` }), password: '' });
    if (!added.ok) throw new Error(added.error.message);
    // The last test: the administrator stays signed out.
    await runtime.services.admin.signOut();
    expect(await call('signIn', { mailbox: `integration:${added.value.id}`, provider: office365, via: 'popup' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
    expect(await call('resetAccount', { mailbox: `integration:${added.value.id}` })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
    // An unknown kind of account is refused by the contract itself.
    expect(await runtime.dispatch('getAccountState', { mailbox: 'integration:../../etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
