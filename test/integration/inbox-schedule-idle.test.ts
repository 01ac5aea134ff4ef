import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { InboxRunSummary, InboxSettingsInput } from '../../src/shared/inbox';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { signInFirstAdmin } from '../support/admin-session';
import { startLocalRuntime } from '../support/local-runtime';
import { addUser, kickImapUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * The app's own schedule (started by the runtime, as the app starts it) with its watch for new mail:
 * mail delivered while the app idles becomes a record within seconds, through IMAP IDLE on a connection
 * of its own that holds no lock; the watch comes back after the server drops it.
 */

let dataDir: string;
let runtime: Runtime;
let user: TestUser;

function settingsFor(account: TestUser): InboxSettingsInput {
  return {
    serverName: testbed().host,
    port: testbed().dovecot.ports.imaps,
    security: 'tls',
    userName: account.email,
    authMethod: 'password',
    allowInsecureAuth: false,
    recordType: 'Web Lead',
    // Only the watch can bring new mail in time: the next scheduled check is a day away.
    checkEveryMinutes: 1440,
  };
}

async function recordSubjects(): Promise<string[]> {
  return (await (await runtime.services.records()).inbox.list({ inbox: 'lead' })).map((record) => record.subject);
}

async function waitUntil<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs} ms for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-inbox-idle-'));
  user = await addUser(`idle-${randomUUID().slice(0, 8)}@example.test`);
  // Saved before the app starts, as when the app is opened on a set-up inbox.
  const setup = await startLocalRuntime(dataDir);
  // Saving an inbox's settings is an administrator's action.
  await signInFirstAdmin(setup.services);
  const saved = await setup.dispatch('saveInbox', { inbox: 'lead', settings: settingsFor(user), password: { kind: 'set', value: user.password } });
  expect(saved.ok).toBe(true);
  await setup.stop();
  runtime = await startLocalRuntime(dataDir, { scheduleInboxes: true });
  // The run at start (an empty mailbox) is over before the test delivers anything.
  await waitUntil('the first scheduled run', async () => await (await runtime.services.records()).inboxRuns.last('lead'), 15_000);
});
afterAll(async () => {
  await runtime.stop();
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

describe('the app watching an inbox for new mail (IDLE)', () => {
  it('makes a record of mail delivered while the app idles within 10 s, and leaves the lock free for another run', async () => {
    const [message] = webFormMessages(1, `idle-${randomUUID().slice(0, 6)}`);
    if (!message) throw new Error('no message');
    const deliveredAt = Date.now();
    await writeToMaildir(user.email, [message.raw]);
    await waitUntil('the delivered message as a record', async () => ((await recordSubjects()).length === 1 ? true : null), 10_000);
    expect(Date.now() - deliveredAt).toBeLessThan(10_000);
    expect(await recordSubjects()).toEqual([expect.stringContaining('Web lead 0')]);

    // The watch holds no retrieval lock: a run of its own ("Check now", a CLI `retrieve`) goes ahead.
    await waitUntil('the triggered run to end', async () => ((await (await runtime.services.records()).inboxRuns.last('lead'))?.retrieved === 1 ? true : null), 5_000);
    const checked = await runtime.dispatch('checkInboxNow', { inbox: 'lead' });
    expect(checked).toMatchObject({ ok: true, value: { retrieved: 0, error: null } });
  });

  it('watches again after the server drops its connection, and new mail still arrives within 10 s', async () => {
    await kickImapUser(testbed().dovecot, user.email);
    const [message] = webFormMessages(1, `idle-again-${randomUUID().slice(0, 6)}`);
    if (!message) throw new Error('no message');
    const deliveredAt = Date.now();
    await writeToMaildir(user.email, [message.raw]);
    await waitUntil('the second message as a record', async () => ((await recordSubjects()).length === 2 ? true : null), 10_000);
    expect(Date.now() - deliveredAt).toBeLessThan(10_000);
    const last: InboxRunSummary | null = await (await runtime.services.records()).inboxRuns.last('lead');
    expect(last?.error).toBeNull();
  });
});
