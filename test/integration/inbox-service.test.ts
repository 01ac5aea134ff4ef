import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import type { Channel, EventName, EventPayloads, RequestOf, ResponseOf } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import type { InboxSettingsInput } from '../../src/shared/inbox';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { selfSignedImapServer } from '../support/fake-mail-servers';
import { webFormMessages } from '../support/inbox-messages';
import { scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { signInFirstAdmin } from '../support/admin-session';
import { servedMessages, sha256Of } from '../support/retrieval-fixtures';
import { addUser, secretToolLookup, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * The inboxes' services through the IPC dispatch (zod parsing included), against the test bed's Dovecot,
 * the real keychain and a real records database: what the dialogs and the CLI run.
 */

let dataDir: string;
let runtime: Runtime;
const events: Array<{ event: EventName; payload: unknown }> = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-inbox-service-'));
  runtime = await startLocalRuntime(dataDir);
  // Saving an inbox is for administrators (issue 14).
  await signInFirstAdmin(runtime.services);
  runtime.services.events.subscribe((event, payload) => events.push({ event, payload }));
});
afterAll(async () => {
  await runtime.stop();
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  return runtime.dispatch(channel, request) as Promise<Result<ResponseOf<C>>>;
}

function eventsOf<E extends EventName>(event: E): Array<EventPayloads[E]> {
  return events.filter((seen) => seen.event === event).map((seen) => seen.payload as EventPayloads[E]);
}

async function newUser(tag: string, messages: readonly Buffer[] = []): Promise<TestUser> {
  const user = await addUser(`${tag}-${randomUUID().slice(0, 8)}@example.test`);
  if (messages.length > 0) await writeToMaildir(user.email, messages);
  return user;
}

/** The test bed's Dovecot over SSL/TLS as `user`, or another server with `patch`. */
function imapSettings(user: Pick<TestUser, 'email'>, patch: Partial<InboxSettingsInput> = {}): InboxSettingsInput {
  return {
    serverName: testbed().host,
    port: testbed().dovecot.ports.imaps,
    security: 'tls',
    userName: user.email,
    authMethod: 'password',
    allowInsecureAuth: false,
    recordType: 'Web Lead',
    ...patch,
  };
}

describe('Lead Inbox settings', () => {
  it('saves the settings with the password in the keychain only, and shows only that one is stored', async () => {
    const user = await newUser('save');
    const saved = await call('saveInbox', { inbox: 'lead', settings: imapSettings(user), password: { kind: 'set', value: user.password } });
    expect(saved).toMatchObject({ ok: true, value: { inbox: 'lead', passwordStored: true, settings: { userName: user.email, recordType: 'Web Lead' }, warnings: [] } });
    expect(JSON.stringify(saved)).not.toContain(user.password);
    expect(await secretToolLookup(keychainServiceFor(dataDir), 'mailbox/lead/password')).toBe(user.password);
    const file = await readFile(join(dataDir, 'settings.json'), 'utf8');
    expect(JSON.parse(file)).toMatchObject({ mailboxes: { lead: { serverName: testbed().host, userName: user.email, recordType: 'Web Lead' } } });
    expect(file).not.toContain(user.password);
    expect(eventsOf('inboxChanged').at(-1)).toMatchObject({ inbox: 'lead', passwordStored: true });
    expect(await call('getInbox', { inbox: 'lead' })).toEqual(saved);
  });

  it('keeps a stored password only for the server, port, user and method it was saved for', async () => {
    const user = await newUser('keep');
    await call('saveInbox', { inbox: 'lead', settings: imapSettings(user), password: { kind: 'set', value: user.password } });
    const otherPort = imapSettings(user, { port: testbed().dovecot.ports.imap, security: 'starttls' });
    const otherUser = imapSettings(user, { userName: `someone-else@example.test` });
    for (const settings of [otherPort, otherUser]) {
      expect(await call('testInbox', { inbox: 'lead', settings, password: { kind: 'keep' } })).toMatchObject({ ok: false, error: { code: 'PASSWORD_NEEDED_FOR_NEW_SERVER' } });
      expect(await call('saveInbox', { inbox: 'lead', settings, password: { kind: 'keep' } })).toMatchObject({ ok: false, error: { code: 'PASSWORD_NEEDED_FOR_NEW_SERVER' } });
    }
    expect(await call('getInbox', { inbox: 'lead' })).toMatchObject({ ok: true, value: { settings: { port: testbed().dovecot.ports.imaps, userName: user.email } } });
    // Typed again for the new port, it goes there.
    expect(await call('testInbox', { inbox: 'lead', settings: otherPort, password: { kind: 'set', value: user.password } })).toMatchObject({ ok: true });
  });

  it('warns when the inbox reads Send Direct’s mailbox, or the same mailbox as the other inbox', async () => {
    const user = await newUser('shared');
    const sendDirect = {
      serverName: testbed().host, senderName: 'Sales', senderAddress: user.email, userName: user.email,
      authMethod: 'password' as const, port: testbed().dovecot.ports.submission, security: 'starttls' as const, allowInsecureAuth: false,
    };
    expect(await call('saveSendDirect', { settings: sendDirect, password: { kind: 'set', value: user.password } })).toMatchObject({ ok: true });
    const lead = await call('saveInbox', { inbox: 'lead', settings: imapSettings(user), password: { kind: 'set', value: user.password } });
    expect(lead.ok && lead.value.warnings.map((w) => w.code)).toEqual(['INBOX_IS_PERSONAL_MAILBOX']);
    const serviceDesk = await call('saveInbox', {
      inbox: 'serviceDesk',
      settings: imapSettings(user, { serverName: 'localhost', port: testbed().dovecot.ports.imap, security: 'starttls', recordType: 'Service Desk' }),
      password: { kind: 'set', value: user.password },
    });
    // Another name for the same host is not the same account key; the user name decides with the host.
    expect(serviceDesk.ok && serviceDesk.value.warnings.map((w) => w.code)).toEqual(['INBOX_IS_PERSONAL_MAILBOX']);
    const sameMailbox = await call('saveInbox', {
      inbox: 'serviceDesk',
      settings: imapSettings(user, { userName: user.email.toUpperCase(), recordType: 'Service Desk' }),
      password: { kind: 'set', value: user.password },
    });
    expect(sameMailbox.ok && sameMailbox.value.warnings.map((w) => w.code)).toEqual(['INBOX_IS_PERSONAL_MAILBOX', 'INBOXES_SHARE_MAILBOX']);
    // The Lead Inbox's dialog hears of it too.
    expect(eventsOf('inboxChanged').at(-1)).toMatchObject({ inbox: 'lead', warnings: [{ code: 'INBOX_IS_PERSONAL_MAILBOX' }, { code: 'INBOXES_SHARE_MAILBOX' }] });
  });

  it('refuses a Type that does not exist', async () => {
    const user = await newUser('type');
    const saved = await call('saveInbox', { inbox: 'lead', settings: imapSettings(user, { recordType: 'No Such Type' }), password: { kind: 'set', value: user.password } });
    expect(saved).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fieldErrors: { recordType: 'There is no activity type “No Such Type”.' } } });
  });
});

describe('Test Connection (seed 002)', () => {
  it('connects over SSL/TLS and over STARTTLS, signs in and logs out', async () => {
    const user = await newUser('test-ok');
    const expected = { ok: true, value: { message: 'We were able to connect to your mailbox.' } };
    expect(await call('testInbox', { inbox: 'lead', settings: imapSettings(user), password: { kind: 'set', value: user.password } })).toEqual(expected);
    const startTls = imapSettings(user, { port: testbed().dovecot.ports.imap, security: 'starttls' });
    expect(await call('testInbox', { inbox: 'serviceDesk', settings: startTls, password: { kind: 'set', value: user.password } })).toEqual(expected);
  });

  it('a wrong password is a bad user name or password', async () => {
    const user = await newUser('test-wrong');
    const result = await call('testInbox', { inbox: 'lead', settings: imapSettings(user), password: { kind: 'set', value: 'not-the-password' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'IMAP_AUTH_FAILED', message: 'The mail server did not accept the user name or password.' } });
  });

  it('an unknown host is a bad host name', async () => {
    const user = await newUser('test-host');
    const result = await call('testInbox', { inbox: 'lead', settings: imapSettings(user, { serverName: 'no-such-host.invalid' }), password: { kind: 'set', value: user.password } });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_HOST', message: 'No server called “no-such-host.invalid” could be found.' } });
  });

  it('a server that signs in only over TLS, with SSL off: says so, and without the allowance sends nothing', async () => {
    const server = await selfSignedImapServer(dataDir, 'no-starttls');
    try {
      const plain = imapSettings({ email: 'someone@example.test' }, { serverName: '127.0.0.1', port: server.port, security: 'none' });
      const refused = await call('testInbox', { inbox: 'lead', settings: plain, password: { kind: 'set', value: 'secret-1' } });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INSECURE_AUTH_REFUSED' } });
      expect(server.commands.join('\n')).not.toMatch(/LOGIN|AUTHENTICATE|secret-1/);

      const allowed = { ...plain, allowInsecureAuth: true };
      const result = await call('testInbox', { inbox: 'lead', settings: allowed, password: { kind: 'set', value: 'secret-1' } });
      expect(result).toMatchObject({ ok: false, error: { code: 'TLS_REQUIRED', message: expect.stringContaining('accepts a sign-in only over an encrypted connection, and SSL is off') } });
      expect(server.commands.join('\n')).not.toContain('secret-1');
    } finally {
      await server.close();
    }
  });

  it('an untrusted certificate is shown with its fingerprint, and can be trusted by it', async () => {
    const server = await selfSignedImapServer(dataDir, 'tls');
    try {
      const settings = imapSettings({ email: 'someone@example.test' }, { serverName: '127.0.0.1', port: server.port });
      const result = await call('testInbox', { inbox: 'lead', settings, password: { kind: 'set', value: 'secret-2' } });
      expect(result).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_CERTIFICATE', certificate: { fingerprint256: server.fingerprint, port: server.port } } });
      expect(await call('trustInboxCertificate', { inbox: 'lead', settings, fingerprint256: server.fingerprint })).toEqual({ ok: true, value: undefined });
      expect(runtime.services.deps.settings.trustedCertificate(`127.0.0.1:${server.port}`)).toMatchObject({ fingerprint256: server.fingerprint });
    } finally {
      await server.close();
    }
  });
});

describe('Check now', () => {
  it('turns the Lead Inbox’s messages into Web Lead records with parsed fields, and empties the mailbox', async () => {
    const messages = webFormMessages(7, randomUUID());
    const user = await newUser('lead-run', messages.map((m) => m.raw));
    const served = await servedMessages(user);
    await call('saveInbox', { inbox: 'lead', settings: imapSettings(user), password: { kind: 'set', value: user.password } });
    const before = events.length;

    const run = await call('checkInboxNow', { inbox: 'lead' });
    expect(run).toMatchObject({ ok: true, value: { inbox: 'lead', retrieved: 7, expunged: 7, error: null } });
    expect(await servedMessages(user)).toEqual([]);

    const list = await call('listInboxRecords', { inbox: 'lead', limit: 1000 });
    if (!list.ok) throw new Error(list.error.message);
    const mine = list.value.filter((record) => messages.some((m) => m.messageId === record.messageId));
    expect(mine).toHaveLength(7);
    expect(new Set(mine.map((r) => r.rawSha256))).toEqual(new Set(served.map((m) => m.sha256)));
    const third = mine.find((r) => r.messageId === messages[3]?.messageId);
    expect(third).toMatchObject({
      type: 'Web Lead', caseId: null, parseError: null, fromAddress: 'forms@example.test',
      fields: { name: 'Person 3', email: 'person3@example.test', phone: '+33 1 23 45 67 89', company: 'Example SARL' },
    });

    const detail = await call('getInboxRecord', { id: third?.id ?? 0 });
    const raw = messages[3]?.raw ?? Buffer.alloc(0);
    expect(detail).toMatchObject({ ok: true, value: { id: third?.id, rawSource: raw.toString('utf8'), rawSourceTruncated: false, text: expect.stringContaining('Name: Person 3') } });
    expect(sha256Of(Buffer.from(detail.ok ? detail.value.rawSource : ''))).toBe(third?.rawSha256);

    const progress = events.slice(before).filter((seen) => seen.event === 'retrievalProgress').map((seen) => seen.payload);
    expect(progress[0]).toEqual({ inbox: 'lead', phase: 'listed', total: 7, retrieved: 0 });
    // The bytes downloaded are the messages' as served, byte for byte.
    const servedBytes = messages.reduce((sum, message) => sum + message.raw.length, 0);
    expect(progress).toContainEqual({ inbox: 'lead', phase: 'storing', total: 7, retrieved: 7, downloadedBytes: servedBytes });
    // The dialog learns how the run ended, and so does anyone who opens it later.
    expect(eventsOf('inboxChanged').at(-1)).toMatchObject({ inbox: 'lead', lastRun: { retrieved: 7, error: null } });
    expect(await call('getInbox', { inbox: 'lead' })).toMatchObject({ ok: true, value: { lastRun: { retrieved: 7, expunged: 7 } } });

    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 0 } });
  });

  it('turns Service Desk mail into cases with a reference', async () => {
    const messages = webFormMessages(3, randomUUID());
    const user = await newUser('desk-run', messages.map((m) => m.raw));
    await call('saveInbox', { inbox: 'serviceDesk', settings: imapSettings(user, { recordType: 'Service Desk' }), password: { kind: 'set', value: user.password } });
    expect(await call('checkInboxNow', { inbox: 'serviceDesk' })).toMatchObject({ ok: true, value: { inbox: 'serviceDesk', retrieved: 3 } });
    expect(await servedMessages(user)).toEqual([]);
    const list = await call('listInboxRecords', { inbox: 'serviceDesk', limit: 1000 });
    const mine = (list.ok ? list.value : []).filter((record) => messages.some((m) => m.messageId === record.messageId));
    expect(mine).toHaveLength(3);
    for (const record of mine) expect(record).toMatchObject({ type: null, caseId: expect.any(Number), caseReference: `[Case #${record.caseId}]` });
    expect(new Set(mine.map((r) => r.caseId)).size).toBe(3);
  });

  it('a wrong saved password fails with its fix and is kept as the last run; the mail stays on the server', async () => {
    const messages = webFormMessages(2, randomUUID());
    const user = await newUser('run-wrong', messages.map((m) => m.raw));
    await call('saveInbox', { inbox: 'lead', settings: imapSettings(user), password: { kind: 'set', value: 'wrong' } });
    const run = await call('checkInboxNow', { inbox: 'lead' });
    expect(run).toMatchObject({ ok: false, error: { code: 'IMAP_AUTH_FAILED', fix: expect.any(String) } });
    expect(await call('getInbox', { inbox: 'lead' })).toMatchObject({ ok: true, value: { lastRun: { retrieved: 0, error: { code: 'IMAP_AUTH_FAILED' } } } });
    expect(await servedMessages(user)).toHaveLength(2);
  });

  it('an inbox on Modern Authentication that nobody signed in says to sign in, and keeps no password', async () => {
    const user = await newUser('run-oauth');
    await call('saveInbox', { inbox: 'lead', settings: imapSettings(user, { authMethod: 'oauth-office365' }), password: { kind: 'keep' } });
    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN', fix: expect.stringContaining('Sign in using Modern Authentication') } });
    expect(await call('getInbox', { inbox: 'lead' })).toMatchObject({ ok: true, value: { passwordStored: false } });
  });

  it('signed in with Modern Authentication (Office 365, IMAP scope), Check now empties the mailbox over XOAUTH2', async () => {
    const messages = webFormMessages(3, randomUUID());
    const user = await newUser('run-xoauth2', messages.map((m) => m.raw));
    const oauthDir = await mkdtemp(join(tmpdir(), 'mail-settings-inbox-oauth-'));
    const oauth = await startLocalRuntime(oauthDir, { popupOpener: scriptedSignInWindow(() => ({ user })) });
    await signInFirstAdmin(oauth.services);
    try {
      const server = testbed().dovecotXoauth2Only;
      const settings = imapSettings(user, { authMethod: 'oauth-office365', port: server.ports.imaps });
      expect(await oauth.dispatch('saveInbox', { inbox: 'lead', settings, password: { kind: 'keep' } })).toMatchObject({ ok: true });
      expect(await oauth.dispatch('signIn', { mailbox: 'lead', provider: { kind: 'office365' }, via: 'popup' })).toMatchObject({ ok: true, value: { status: 'signed-in' } });
      expect(await oauth.dispatch('testInbox', { inbox: 'lead', settings, password: { kind: 'keep' } })).toMatchObject({ ok: true });
      expect(await oauth.dispatch('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 3 } });
      expect(await servedMessages(user)).toHaveLength(0);
    } finally {
      await oauth.stop();
      await clearKeychainOf(oauthDir);
      await rm(oauthDir, { recursive: true, force: true });
    }
  });
});

describe('activity types', () => {
  it('adds, renames (an inbox’s saved Type follows) and retires; a type in use is retired, never deleted', async () => {
    const tag = randomUUID().slice(0, 6);
    const added = await call('addActivityType', { name: `  Trade Show ${tag} ` });
    const show = (added.ok ? added.value : []).find((type) => type.name === `Trade Show ${tag}`);
    expect(show).toMatchObject({ retired: false, inUse: false });
    expect(await call('addActivityType', { name: `trade show ${tag}` })).toMatchObject({ ok: false, error: { code: 'ACTIVITY_TYPE_REFUSED' } });

    // The Lead Inbox gives its records this type, and keeps one record of it.
    const messages = webFormMessages(1, randomUUID());
    const user = await newUser('types', messages.map((m) => m.raw));
    await call('saveInbox', { inbox: 'lead', settings: imapSettings(user, { recordType: `Trade Show ${tag}` }), password: { kind: 'set', value: user.password } });
    expect(await call('retireActivityType', { id: show?.id ?? 0 })).toMatchObject({ ok: false, error: { code: 'ACTIVITY_TYPE_REFUSED', fix: expect.stringContaining('Choose another Type') } });
    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 1 } });

    const renamed = await call('renameActivityType', { id: show?.id ?? 0, name: `Expo ${tag}` });
    expect(renamed.ok && renamed.value.find((type) => type.id === show?.id)).toMatchObject({ name: `Expo ${tag}`, inUse: true });
    expect(await call('getInbox', { inbox: 'lead' })).toMatchObject({ ok: true, value: { settings: { recordType: `Expo ${tag}` } } });
    const list = await call('listInboxRecords', { inbox: 'lead', limit: 1000 });
    expect((list.ok ? list.value : []).find((record) => record.messageId === messages[0]?.messageId)).toMatchObject({ type: `Expo ${tag}` });

    // Once the inbox uses another type, this one is retired: kept for its record, no longer offered.
    await call('saveInbox', { inbox: 'lead', settings: imapSettings(user), password: { kind: 'keep' } });
    const retired = await call('retireActivityType', { id: show?.id ?? 0 });
    expect(retired.ok && retired.value.find((type) => type.id === show?.id)).toEqual({ id: show?.id, name: `Expo ${tag}`, retired: true, inUse: true });
    const listAfter = await call('listInboxRecords', { inbox: 'lead', limit: 1000 });
    expect((listAfter.ok ? listAfter.value : []).find((record) => record.messageId === messages[0]?.messageId)).toMatchObject({ type: `Expo ${tag}` });
    expect(await call('saveInbox', { inbox: 'lead', settings: imapSettings(user, { recordType: `Expo ${tag}` }), password: { kind: 'keep' } })).toMatchObject({
      ok: false,
      error: { fieldErrors: { recordType: `The type “Expo ${tag}” is retired.` } },
    });

    // A type nothing uses is deleted.
    const unused = await call('addActivityType', { name: `Unused ${tag}` });
    const unusedId = (unused.ok ? unused.value : []).find((type) => type.name === `Unused ${tag}`)?.id ?? 0;
    const afterDelete = await call('retireActivityType', { id: unusedId });
    expect(afterDelete.ok && afterDelete.value.some((type) => type.id === unusedId)).toBe(false);
  });

  it('keeps Send Direct’s “Email Sent”', async () => {
    const types = await call('listActivityTypes', {});
    const sent = (types.ok ? types.value : []).find((type) => type.name === 'Email Sent');
    expect(await call('renameActivityType', { id: sent?.id ?? 0, name: 'Mail Out' })).toMatchObject({ ok: false, error: { code: 'ACTIVITY_TYPE_REFUSED' } });
    expect(await call('retireActivityType', { id: sent?.id ?? 0 })).toMatchObject({ ok: false, error: { code: 'ACTIVITY_TYPE_REFUSED' } });
  });
});
