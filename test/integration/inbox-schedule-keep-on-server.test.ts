import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { Channel, RequestOf, ResponseOf } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import type { InboxSettingsInput } from '../../src/shared/inbox';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { startLocalRuntime } from '../support/local-runtime';
import { signInFirstAdmin } from '../support/admin-session';
import { servedMessages } from '../support/retrieval-fixtures';
import { addUser, readMailbox, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * "Leave messages on the server" and "Reset mailbox counter" (seed 003), through the IPC dispatch against
 * the test bed's Dovecot: the mailbox counter decides what is new, nothing is removed from the server, and
 * a reset reads everything again without doubling a single record.
 */

let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-keep-on-server-'));
  runtime = await startLocalRuntime(dataDir);
  // Saving an inbox and resetting its counter are for administrators (issue 14).
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

function settingsFor(user: TestUser, patch: Partial<InboxSettingsInput> = {}): InboxSettingsInput {
  return {
    serverName: testbed().host,
    port: testbed().dovecot.ports.imaps,
    security: 'tls',
    userName: user.email,
    authMethod: 'password',
    allowInsecureAuth: false,
    recordType: 'Web Lead',
    keepOnServer: true,
    ...patch,
  };
}

async function recordCount(): Promise<number> {
  return (await (await runtime.services.records()).inbox.list({ inbox: 'lead', limit: 1000 })).length;
}

describe('Lead Inbox leaving messages on the server', () => {
  it('imports only what is new by the mailbox counter, removes nothing, and after a reset creates only what is missing', async () => {
    const tag = `keep-${randomUUID().slice(0, 6)}`;
    const user = await addUser(`${tag}@example.test`);
    const [first, second, third, fourth, fifth] = webFormMessages(5, tag).map((message) => message.raw);
    if (!first || !second || !third || !fourth || !fifth) throw new Error('messages missing');
    await writeToMaildir(user.email, [first, second, third]);
    const saved = await call('saveInbox', { inbox: 'lead', settings: settingsFor(user), password: { kind: 'set', value: user.password } });
    expect(saved).toMatchObject({ ok: true, value: { settings: { keepOnServer: true } } });

    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 3, alreadyStored: 0, expunged: 0, error: null } });
    const onServer = await servedMessages(user);
    expect(onServer).toHaveLength(3);
    // Never flagged either (nor \Seen: BODY.PEEK[]): another mail program sees them as they were.
    expect(onServer.map((message) => message.flags)).toEqual([[], [], []]);

    // Only the new ones: the three below the counter are not even looked at again.
    await writeToMaildir(user.email, [fourth, fifth]);
    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 2, alreadyStored: 0, expunged: 0 } });
    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 0, alreadyStored: 0, expunged: 0 } });
    expect(await recordCount()).toBe(5);
    expect(await readMailbox(user)).toHaveLength(5);

    // Reset: the whole mailbox is read again, and every message is recognised as kept already.
    expect(await call('resetInboxCounter', { inbox: 'lead' })).toEqual({ ok: true, value: { hadCounter: true } });
    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 0, alreadyStored: 5, expunged: 0 } });
    expect(await recordCount()).toBe(5);
    expect(await readMailbox(user)).toHaveLength(5);
    // The counter is back where it was: the next run looks at nothing old.
    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 0, alreadyStored: 0 } });

    // Turned off, the inbox empties the mailbox again, taking nothing twice.
    await call('saveInbox', { inbox: 'lead', settings: settingsFor(user, { keepOnServer: false }), password: { kind: 'keep' } });
    expect(await call('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 0, alreadyStored: 5, expunged: 5 } });
    expect(await readMailbox(user)).toEqual([]);
    expect(await recordCount()).toBe(5);
  });

  it('first connection to a full mailbox: says how much and since when; “from now on” leaves the old mail alone until a reset takes what is missing', async () => {
    const tag = `first-${randomUUID().slice(0, 6)}`;
    const user = await addUser(`${tag}@example.test`);
    const [old1, old2, old3, new1, new2] = webFormMessages(5, tag).map((message) => message.raw);
    if (!old1 || !old2 || !old3 || !new1 || !new2) throw new Error('messages missing');
    await writeToMaildir(user.email, [old1, old2, old3]);
    // An inbox that empties its mailbox, saved on the Service Desk (no records, no counter, no run yet).
    await call('saveInbox', { inbox: 'serviceDesk', settings: settingsFor(user, { keepOnServer: false, recordType: 'Service Desk' }), password: { kind: 'set', value: user.password } });
    const first = await call('inboxFirstConnection', { inbox: 'serviceDesk' });
    expect(first).toMatchObject({ ok: true, value: { holdsMail: true, count: 3 } });
    const oldest = first.ok && first.value.holdsMail ? first.value.oldest : null;
    expect(Math.abs(Date.parse(oldest ?? '') - Date.now())).toBeLessThan(10 * 60_000);

    expect(await call('importInboxFromNow', { inbox: 'serviceDesk' })).toEqual({ ok: true, value: { leftOnServer: 3 } });
    // Asked once: with a counter, there is nothing to ask any more.
    expect(await call('inboxFirstConnection', { inbox: 'serviceDesk' })).toEqual({ ok: true, value: { holdsMail: false } });

    await writeToMaildir(user.email, [new1, new2]);
    expect(await call('checkInboxNow', { inbox: 'serviceDesk' })).toMatchObject({ ok: true, value: { retrieved: 2, expunged: 2, error: null } });
    // The three older messages are still there, untouched, although this inbox empties its mailbox.
    const left = await servedMessages(user);
    expect(left.map((message) => message.messageId)).toEqual([0, 1, 2].map((n) => `${tag}.${n}@testbed.localhost`));
    expect(left.map((message) => message.flags)).toEqual([[], [], []]);
    expect(await call('checkInboxNow', { inbox: 'serviceDesk' })).toMatchObject({ ok: true, value: { retrieved: 0, expunged: 0 } });

    // Reset mailbox counter: the whole mailbox again, creating only the three records that are missing.
    expect(await call('resetInboxCounter', { inbox: 'serviceDesk' })).toEqual({ ok: true, value: { hadCounter: true } });
    expect(await call('checkInboxNow', { inbox: 'serviceDesk' })).toMatchObject({ ok: true, value: { retrieved: 3, expunged: 3 } });
    expect(await (await runtime.services.records()).inbox.list({ inbox: 'serviceDesk', limit: 100 })).toHaveLength(5);
  });

  it('while the question is unanswered, the schedule and the IDLE watch import nothing, even after a restart; Import all then takes everything', async () => {
    const tag = `ask-${randomUUID().slice(0, 6)}`;
    const user = await addUser(`${tag}@example.test`);
    const [old1, old2, old3, arriving] = webFormMessages(4, tag).map((message) => message.raw);
    if (!old1 || !old2 || !old3 || !arriving) throw new Error('messages missing');
    await writeToMaildir(user.email, [old1, old2, old3]);
    const askedDir = await mkdtemp(join(tmpdir(), 'mail-settings-first-ask-'));
    const asking = await startLocalRuntime(askedDir);
    await signInFirstAdmin(asking.services);
    await asking.dispatch('saveInbox', { inbox: 'lead', settings: settingsFor(user, { keepOnServer: false }), password: { kind: 'set', value: user.password } });
    expect(await asking.dispatch('inboxFirstConnection', { inbox: 'lead' })).toMatchObject({ ok: true, value: { holdsMail: true, count: 3 } });
    await asking.stop();

    // The app opened again with its schedule (a run at start) and IDLE watch, and nobody answers.
    const scheduled = await startLocalRuntime(askedDir, { scheduleInboxes: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await writeToMaildir(user.email, [arriving]);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const store = await scheduled.services.records();
      expect(await store.inbox.list({ inbox: 'lead', limit: 100 })).toHaveLength(0);
      expect(await store.inboxRuns.last('lead')).toBeNull();
      expect(await servedMessages(user)).toHaveLength(4);

      // "Import all": a Check now answers the question and takes the whole mailbox.
      expect(await scheduled.dispatch('checkInboxNow', { inbox: 'lead' })).toMatchObject({ ok: true, value: { retrieved: 4, expunged: 4 } });
      expect(await store.firstImportQuestions.isOpen('lead')).toBe(false);
    } finally {
      await scheduled.stop();
      await clearKeychainOf(askedDir);
      await rm(askedDir, { recursive: true, force: true });
    }
  });

  it('says nothing to ask of an empty mailbox', async () => {
    const user = await addUser(`empty-${randomUUID().slice(0, 6)}@example.test`);
    const other = await startLocalRuntime(await mkdtemp(join(tmpdir(), 'mail-settings-first-empty-')));
    await signInFirstAdmin(other.services);
    try {
      await other.dispatch('saveInbox', { inbox: 'lead', settings: settingsFor(user), password: { kind: 'set', value: user.password } });
      expect(await other.dispatch('inboxFirstConnection', { inbox: 'lead' })).toEqual({ ok: true, value: { holdsMail: false } });
    } finally {
      await clearKeychainOf(other.services.deps.dataDir);
      await other.stop();
      await rm(other.services.deps.dataDir, { recursive: true, force: true });
    }
  });
});
