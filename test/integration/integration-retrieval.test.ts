import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImapAccess } from '../../src/main/accounts/imap-access';
import { createIntegrationRetrieval, type IntegrationRetrieval } from '../../src/main/integration/integration-retrieval';
import { startIntegrationSchedule } from '../../src/main/integration/integration-schedule';
import { runRetrievalInWorker } from '../../src/main/inbox/retrieval/run-in-worker';
import type { Runtime } from '../../src/main/node-runtime';
import { signInFirstAdmin } from '../support/admin-session';
import { addressedMessage } from '../support/alias-messages';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { startLocalRuntime } from '../support/local-runtime';
import { servedMessages } from '../support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * Retrieval of an Email Integration mailbox (issue 15) against the test bed's Dovecot: each message goes
 * where its recipients' alias says, the mailbox is emptied, and a second run doubles nothing.
 */

let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-integration-retrieval-'));
  runtime = await startLocalRuntime(dataDir);
  await signInFirstAdmin(runtime.services);
});
afterAll(async () => {
  await runtime.stop();
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

async function integrationMailbox(user: TestUser): Promise<string> {
  const added = await runtime.services.integration.add(
    { mailbox: user.email, host: testbed().host, port: testbed().dovecot.ports.imaps, secure: true, configurationName: `Sales ${user.email}`, description: 'Shared sales mailbox', authMethod: 'password' },
    user.password,
  );
  if (!added.ok) throw new Error(added.error.message);
  return added.value.id;
}

describe('an integration mailbox is emptied through its aliases', () => {
  it('routes sales+web@ to Web Lead notes with the owner, support@ to cases in the queue, the rest to the default alias; a second run doubles nothing', async () => {
    const tag = randomUUID().slice(0, 8);
    const user = await addUser(`sales-${tag}@example.test`);
    const id = await integrationMailbox(user);
    const salesWeb = `sales+web-${tag}@example.test`;
    const support = `support-${tag}@example.test`;
    for (const alias of [
      { address: salesWeb, credentialId: id, target: { kind: 'lead' as const, activityType: 'Web Lead', owner: 'dana@example.test' } },
      { address: support, credentialId: id, target: { kind: 'serviceDesk' as const, queue: 'Support' } },
    ]) {
      const added = await runtime.services.integration.addAlias(alias);
      if (!added.ok) throw new Error(added.error.message);
    }

    const messages = {
      // Delivered-To wins over To.
      webLead: addressedMessage(`Web lead ${tag}`, { deliveredTo: salesWeb, to: `sales-${tag}@example.test` }),
      // Addresses compare case-insensitively.
      supportCase: addressedMessage(`Printer broken ${tag}`, { to: support.toUpperCase() }),
      // Cc is tried after To.
      supportByCc: addressedMessage(`Copied to support ${tag}`, { to: `nobody-${tag}@example.test`, cc: `Support Desk <${support}>` }),
      // `sales+web@` only: a plain `sales-…@` is the mailbox's own (default) alias.
      unknown: addressedMessage(`Unknown address ${tag}`, { to: `someone-else-${tag}@example.test` }),
      plusOther: addressedMessage(`Other tag ${tag}`, { to: `sales+other-${tag}@example.test` }),
    };
    await writeToMaildir(user.email, Object.values(messages).map((message) => message.raw));

    const first = await runtime.services.integrationRetrieval.checkNow(id);
    expect(first).toMatchObject({ ok: true, value: { retrieved: 5, expunged: 5, notImported: 0 } });
    expect(await servedMessages(user)).toEqual([]);

    const store = await runtime.services.records();
    const source = `integration:${id}`;
    const notes = (await store.inbox.list({ inbox: 'lead' })).filter((record) => record.source === source);
    const cases = (await store.inbox.list({ inbox: 'serviceDesk' })).filter((record) => record.source === source);
    const bySubject = (records: typeof notes) => Object.fromEntries(records.map((record) => [record.subject, record]));
    expect(bySubject(notes)).toEqual({
      [messages.webLead.subject]: expect.objectContaining({ type: 'Web Lead', owner: 'dana@example.test', caseId: null }),
      [messages.unknown.subject]: expect.objectContaining({ type: 'Web Lead', owner: null, caseId: null }),
      [messages.plusOther.subject]: expect.objectContaining({ type: 'Web Lead', owner: null, caseId: null }),
    });
    expect(bySubject(cases)).toEqual({
      [messages.supportCase.subject]: expect.objectContaining({ queue: 'Support', threadRole: 'opened', activityNoteId: null, caseReference: expect.stringMatching(/^\[Case #\d+\]$/) }),
      [messages.supportByCc.subject]: expect.objectContaining({ queue: 'Support', threadRole: 'opened' }),
    });

    // The same message delivered again (a duplicate from the sender's server): recognised, only removed.
    await writeToMaildir(user.email, [messages.webLead.raw]);
    const second = await runtime.services.integrationRetrieval.checkNow(id);
    expect(second).toMatchObject({ ok: true, value: { retrieved: 0, alreadyStored: 1, expunged: 1 } });
    expect(await servedMessages(user)).toEqual([]);
    expect((await store.inbox.list({ inbox: 'lead' })).filter((record) => record.source === source)).toHaveLength(3);

    // The dashboard row: last successful fetch, green, not stale.
    expect(await runtime.services.integration.get(id)).toMatchObject({ ok: true, value: { status: { ok: true, error: null }, lastSuccessAt: expect.any(String), stale: false } });
  });

  it('a refused password turns the row red with the reason, and the mail stays on the server', async () => {
    const tag = randomUUID().slice(0, 8);
    const user = await addUser(`refused-${tag}@example.test`);
    const id = await integrationMailbox({ ...user, password: 'not-the-password' });
    await writeToMaildir(user.email, [addressedMessage(`Kept on the server ${tag}`, { to: user.email }).raw]);
    expect(await runtime.services.integrationRetrieval.checkNow(id)).toMatchObject({ ok: false, error: { code: 'IMAP_AUTH_FAILED' } });
    expect(await servedMessages(user)).toHaveLength(1);
    expect(await runtime.services.integration.get(id)).toMatchObject({ ok: true, value: { status: { ok: false, error: { code: 'IMAP_AUTH_FAILED' } }, lastSuccessAt: null } });
  });
});

describe('a scheduled poll asks the server before it starts a run', () => {
  /** The app's integration retrieval with its runs counted (each would be a worker thread). */
  function countingRetrieval(): { readonly retrieval: IntegrationRetrieval; readonly runs: () => number } {
    let runs = 0;
    const { deps, events, integration } = runtime.services;
    const retrieval = createIntegrationRetrieval({
      dataDir: deps.dataDir,
      imapAccess: createImapAccess({ accounts: runtime.services.accounts, providerDefaults: deps.providerDefaults }),
      settings: deps.settings,
      secrets: deps.secrets,
      events,
      logger: deps.logger,
      secretRegistry: deps.secretRegistry,
      now: deps.now,
      runRetrieval: (run) => {
        runs += 1;
        return runRetrievalInWorker(run);
      },
      listRows: () => integration.list(),
    });
    return { retrieval, runs: () => runs };
  }

  it('an empty mailbox is a successful check without a run; one with mail is emptied; Check now always runs', async () => {
    const tag = randomUUID().slice(0, 8);
    const user = await addUser(`idle-${tag}@example.test`);
    const id = await integrationMailbox(user);
    const { retrieval, runs } = countingRetrieval();

    expect(await retrieval.checkNow(id, { onlyWithMail: true })).toMatchObject({ ok: true, value: { retrieved: 0 } });
    expect(runs()).toBe(0);
    expect(await runtime.services.integration.get(id)).toMatchObject({ ok: true, value: { status: { ok: true, error: null }, lastSuccessAt: expect.any(String), stale: false } });

    await writeToMaildir(user.email, [addressedMessage(`Arrived between polls ${tag}`, { to: user.email }).raw]);
    expect(await retrieval.checkNow(id, { onlyWithMail: true })).toMatchObject({ ok: true, value: { retrieved: 1 } });
    expect(runs()).toBe(1);
    expect(await servedMessages(user)).toEqual([]);

    expect(await retrieval.checkNow(id)).toMatchObject({ ok: true, value: { retrieved: 0 } });
    expect(runs()).toBe(2);
  });

  it('a poll the server refuses still runs, and turns the row red with the reason', async () => {
    const tag = randomUUID().slice(0, 8);
    const user = await addUser(`idle-refused-${tag}@example.test`);
    const id = await integrationMailbox({ ...user, password: 'not-the-password' });
    const { retrieval, runs } = countingRetrieval();
    expect(await retrieval.checkNow(id, { onlyWithMail: true })).toMatchObject({ ok: false, error: { code: 'IMAP_AUTH_FAILED' } });
    expect(runs()).toBe(1);
    expect(await runtime.services.integration.get(id)).toMatchObject({ ok: true, value: { status: { ok: false, error: { code: 'IMAP_AUTH_FAILED' } }, lastSuccessAt: null } });
  });
});

describe('integration mailboxes watched for new mail (IDLE)', () => {
  it('turns mail delivered between polls into a record within 10 s, the next poll being a day away', async () => {
    const tag = randomUUID().slice(0, 8);
    const user = await addUser(`watched-${tag}@example.test`);
    const id = await integrationMailbox(user);
    const schedule = startIntegrationSchedule({
      retrieval: runtime.services.integrationRetrieval,
      events: runtime.services.events,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
      everyMs: 24 * 60 * 60_000,
    });
    try {
      // The first poll (an empty mailbox) and the watch's connection, before the mail arrives.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const source = `integration:${id}`;
      const notes = async (): Promise<number> => (await (await runtime.services.records()).inbox.list({ inbox: 'lead' })).filter((record) => record.source === source).length;
      const delivered = Date.now();
      await writeToMaildir(user.email, [addressedMessage(`Arrived while watched ${tag}`, { to: user.email }).raw]);
      while ((await notes()) === 0) {
        if (Date.now() - delivered > 10_000) throw new Error('No record within 10 s of the delivery.');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(Date.now() - delivered).toBeLessThan(10_000);
      expect(await servedMessages(user)).toEqual([]);
    } finally {
      await schedule.stop();
    }
  });
});
