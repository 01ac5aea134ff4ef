import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { Channel, RequestOf, ResponseOf } from '../../src/shared/contract';
import { ErrorCode, type Result } from '../../src/shared/errors';
import type { InboxSettingsInput } from '../../src/shared/inbox';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { signInFirstAdmin } from '../support/admin-session';
import { startLocalRuntime } from '../support/local-runtime';
import { servedMessages, withInbox } from '../support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * The Folder setting, for a mailbox where a rule files the web-form mail in a folder of its own: Test
 * Connection says whether the folder exists, and a run empties that folder and leaves INBOX alone.
 */

let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-folder-'));
  runtime = await startLocalRuntime(dataDir);
  // Saving an inbox's settings is an administrator's action.
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

function settingsFor(user: Pick<TestUser, 'email'>, folder: string): InboxSettingsInput {
  return { serverName: testbed().host, port: testbed().dovecot.ports.imaps, security: 'tls', userName: user.email, authMethod: 'password', allowInsecureAuth: false, recordType: 'Web Lead', folder };
}

describe('the Folder setting', () => {
  it('is checked by Test Connection, and a run empties that folder and leaves INBOX alone', async () => {
    const user = await addUser(`folder-${randomUUID().slice(0, 8)}@example.test`);
    await writeToMaildir(user.email, webFormMessages(1, randomUUID()).map((m) => m.raw));
    const password = { kind: 'set' as const, value: user.password };

    const missing = await call('testInbox', { inbox: 'lead', settings: settingsFor(user, 'Web Leads'), password });
    expect(missing).toMatchObject({ ok: false, error: { code: ErrorCode.MailboxUnavailable, fieldErrors: { folder: expect.stringMatching(/no folder “Web Leads”/) } } });
    if (!missing.ok) expect(missing.error.fix).toMatch(/this mailbox has: .*INBOX/);

    const filed = webFormMessages(3, randomUUID());
    await withInbox(user, testbed().dovecot, async (client) => {
      await client.mailboxCreate('Web Leads');
      for (const message of filed) await client.append('Web Leads', message.raw);
    });
    expect(await call('testInbox', { inbox: 'lead', settings: settingsFor(user, ' Web Leads '), password })).toMatchObject({ ok: true });

    const saved = await call('saveInbox', { inbox: 'lead', settings: settingsFor(user, 'Web Leads'), password });
    expect(saved).toMatchObject({ ok: true, value: { settings: { folder: 'Web Leads' } } });
    const run = await call('checkInboxNow', { inbox: 'lead' });
    expect(run).toMatchObject({ ok: true, value: { retrieved: 3, expunged: 3, error: null } });
    const records = await call('listInboxRecords', { inbox: 'lead', limit: 10 });
    expect(records.ok && new Set(records.value.map((r) => r.messageId))).toEqual(new Set(filed.map((m) => m.messageId)));
    // The one message in INBOX is someone else's business.
    expect(await servedMessages(user)).toHaveLength(1);
    const left = await withInbox(user, testbed().dovecot, (client) => client.status('Web Leads', { messages: true }));
    expect(left).toMatchObject({ messages: 0 });
  });
});
