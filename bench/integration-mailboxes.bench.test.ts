import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startAppInboxSchedule } from '../src/main/inbox/schedule/app-inbox-schedule';
import type { InboxSchedule } from '../src/main/inbox/schedule/inbox-schedule';
import type { Runtime } from '../src/main/node-runtime';
import { signInFirstAdmin } from '../test/support/admin-session';
import { addressedMessage } from '../test/support/alias-messages';
import { clearKeychainOf } from '../test/support/data-dir-keychain';
import { startLocalRuntime } from '../test/support/local-runtime';
import { addUser, testbed, writeToMaildir, type TestUser } from '../test/testbed/client';

/**
 * `npm run bench`: 20 Email Integration mailboxes (issue 15) run by the app's schedule against the test
 * bed's Dovecot, the 5-minute interval lowered to 2 s so that a run takes seconds. Prints how long a
 * delivered message takes to become a record, and the CPU time one poll of an empty mailbox costs the
 * process (its worker threads included). Asserts nothing.
 */
const mailboxCount = 20;
const everyMs = 2_000;

describe('20 integration mailboxes on the app’s schedule', () => {
  let dataDir: string;
  let runtime: Runtime;
  let schedule: InboxSchedule | null = null;
  const mailboxes: Array<{ readonly user: TestUser; readonly id: string }> = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-bench-integration-'));
    runtime = await startLocalRuntime(dataDir);
    await signInFirstAdmin(runtime.services);
    const tag = randomUUID().slice(0, 8);
    for (let n = 0; n < mailboxCount; n += 1) {
      const user = await addUser(`bench-int-${n}-${tag}@example.test`);
      const added = await runtime.services.integration.add(
        { mailbox: user.email, host: testbed().host, port: testbed().dovecot.ports.imaps, secure: true, configurationName: `Bench ${n}`, description: 'Benchmark mailbox', authMethod: 'password' },
        user.password,
      );
      if (!added.ok) throw new Error(added.error.message);
      mailboxes.push({ user, id: added.value.id });
    }
  });
  afterAll(async () => {
    await schedule?.stop();
    await runtime.stop();
    await clearKeychainOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  async function until(done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('delivery → record, and CPU time per idle poll', async () => {
    let polls = 0;
    const stopCounting = runtime.services.events.on('integrationsChanged', () => (polls += 1));
    schedule = startAppInboxSchedule(runtime.services, { watchForNewMail: false, integrationEveryMs: everyMs });
    // Every mailbox polled once (empty) before measuring.
    await until(async () => polls >= mailboxCount);

    // Idle: every mailbox empty, polled every 2 s.
    const idleStart = process.cpuUsage();
    const pollsBefore = polls;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idle = process.cpuUsage(idleStart);
    const idlePolls = polls - pollsBefore;
    const cpuPerPollMs = (idle.user + idle.system) / 1000 / Math.max(1, idlePolls);

    // One message to each mailbox, at once.
    const samples: number[] = [];
    const store = await runtime.services.records();
    await Promise.all(
      mailboxes.map(async ({ user, id }) => {
        const message = addressedMessage(`Bench ${id}`, { to: user.email });
        const delivered = performance.now();
        await writeToMaildir(user.email, [message.raw]);
        await until(async () => (await store.inbox.list({ inbox: 'lead', limit: 100 })).some((record) => record.subject === message.subject));
        samples.push(performance.now() - delivered);
      }),
    );
    stopCounting();
    await schedule.stop();
    schedule = null;
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(
      `${mailboxCount} integration mailboxes, polled every ${everyMs / 1000} s: delivery → record median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms (n=${samples.length}); CPU per idle poll ${cpuPerPollMs.toFixed(1)} ms (${idlePolls} polls in 10 s, worker threads included)`,
    );
  });

  it('delivery → record as the app runs them: polled every 5 minutes, watched for new mail (IDLE)', async () => {
    schedule = startAppInboxSchedule(runtime.services);
    // The first polls and the watches' connections, before the mail arrives.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const store = await runtime.services.records();
    const samples: number[] = [];
    await Promise.all(
      mailboxes.map(async ({ user, id }) => {
        const message = addressedMessage(`Bench watched ${id}`, { to: user.email });
        const delivered = performance.now();
        await writeToMaildir(user.email, [message.raw]);
        await until(async () => (await store.inbox.list({ inbox: 'lead', limit: 200 })).some((record) => record.subject === message.subject));
        samples.push(performance.now() - delivered);
      }),
    );
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(
      `${mailboxCount} integration mailboxes, watched (IDLE): delivery → record median ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms (n=${samples.length}; issue 15 asks for 60 s)`,
    );
  });
});
