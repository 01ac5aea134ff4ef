import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leaseTtlEnvVar } from '../../src/main/inbox/retrieval/lease-ttl';
import { mailboxKeyOf } from '../../src/main/inbox/retrieval/mailbox-lease-keeper';
import { clearKeychainOf } from '../support/data-dir-keychain';
import type { GeneratedMessage } from '../support/inbox-messages';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { servedMessages, sha256Of, withInbox } from '../support/retrieval-fixtures';
import { runCli } from '../support/run-cli';
import { startServe, type ServeChild } from '../support/serve-child';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * Two installations of a CRM team on one shared records database (PostgreSQL) and one mailbox: two
 * `mail-settings serve` processes (the built CLI), each with a data directory of its own, as on two
 * machines. One holds the mailbox's lease at a time. The holder is SIGKILLed at random points of its
 * runs; the other takes the mailbox over once the dead holder's lease has expired, and the killed one
 * is started again in its place. In the end every message the server served is in the records exactly
 * once, byte for byte, and the mailbox is empty.
 */

const leaseTtlSeconds = 3;
/** Runs landing inside a run (the lease held at the kill) that the test makes at least. */
const killsWhileHolding = 10;
const maxRounds = 16;

let database: TestDatabase;
let admin: Client;
const dataDirs: string[] = [];
const started: ServeChild[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  admin = new Client({ connectionString: database.url });
  admin.on('error', () => undefined);
  await admin.connect();
});
afterEach(() => {
  // A test that failed half-way leaves no service running behind it.
  for (const child of started.splice(0)) child.kill('SIGKILL');
});
afterAll(async () => {
  await admin.end();
  await database.drop();
  for (const dataDir of dataDirs) {
    await clearKeychainOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  }
});

interface Installation {
  readonly name: string;
  readonly dataDir: string;
  serve: ServeChild;
}

function serveOn(dataDir: string): Promise<ServeChild> {
  const env = { ...process.env, [leaseTtlEnvVar]: String(leaseTtlSeconds) };
  return startServe(['--interval', '1s', '--data-dir', dataDir, '--database', database.url], { env }).then((child) => {
    started.push(child);
    return child;
  });
}

async function installation(name: string, user: TestUser): Promise<Installation> {
  const dataDir = await mkdtemp(join(tmpdir(), `mail-settings-lease-kill-${name}-`));
  dataDirs.push(dataDir);
  const configured = await runCli(
    ['configure', 'lead', '--host', testbed().host, '--port', String(testbed().dovecot.ports.imap), '--security', 'starttls', '--user', user.email, '--password-stdin', '--data-dir', dataDir, '--database', database.url],
    { stdin: `${user.password}\n` },
  );
  expect(configured.code, configured.stderr).toBe(0);
  return { name, dataDir, serve: await serveOn(dataDir) };
}

/**
 * Web-form mail of varied sizes (a few hundred bytes to about 16 KB of text); one in five carries an
 * attachment of 1 to 60 KB. CRLF line ends, so Dovecot serves the bytes as written.
 */
function variedMessages(count: number, tag: string): GeneratedMessage[] {
  const crlf = (lines: readonly string[]): Buffer => Buffer.from(`${lines.join('\r\n')}\r\n`);
  const base64Lines = (bytes: number): string[] => randomBytes(bytes).toString('base64').match(/.{1,76}/g) ?? [];
  return Array.from({ length: count }, (_, n) => {
    const messageId = `${tag}.${n}@testbed.localhost`;
    const headers = [`Message-ID: <${messageId}>`, 'Date: Tue, 24 Nov 2026 10:00:00 +0000', 'From: "Web Form" <forms@example.test>', 'To: sales@example.test', `Subject: Web lead ${n} (${tag})`, 'MIME-Version: 1.0'];
    const form = [`Name: Person ${n}`, `Email: person${n}@example.test`, `Message: Please call me back about offer ${n}.`, ...base64Lines(randomInt(100, 12_000))];
    if (randomInt(5) !== 0) return { messageId, raw: crlf([...headers, 'Content-Type: text/plain; charset=utf-8', '', ...form]) };
    const boundary = `b-${tag}-${n}`;
    return {
      messageId,
      raw: crlf([
        ...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
        `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', ...form,
        `--${boundary}`, 'Content-Type: application/pdf; name="brochure.pdf"', 'Content-Disposition: attachment; filename="brochure.pdf"', 'Content-Transfer-Encoding: base64', '',
        ...base64Lines(randomInt(1_000, 60_000)),
        `--${boundary}--`,
      ]),
    };
  });
}

async function waitUntil<T>(found: () => T | null | Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await found();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${timeoutMs} ms`);
    await sleep(20);
  }
}

const listedCount = (line: string): number | null => {
  const listed = /^<6>retrieval listed the mailbox inbox=lead messages=(\d+)$/.exec(line);
  return listed ? Number(listed[1]) : null;
};

/** The first line at or after `from` in `serve`'s output that matches, with its index. */
function lineAfter(serve: ServeChild, from: number, matches: (line: string) => boolean): { line: string; index: number } | null {
  for (let index = from; index < serve.lines.length; index += 1) {
    const line = serve.lines[index] ?? '';
    if (matches(line)) return { line, index };
  }
  return null;
}

function linesAfter(serve: ServeChild, from: number, matches: (line: string) => boolean): string[] {
  return serve.lines.slice(from).filter(matches);
}

/** How many messages the mailbox holds now (a run may be removing some meanwhile). */
function messagesIn(user: TestUser): Promise<number> {
  return withInbox(user, testbed().dovecot, async (client) => (client.mailbox ? client.mailbox.exists : -1));
}

/** The mailbox's lease as the shared database has it (times as the database's clock, which is this machine's). */
async function leaseRow(mailboxKey: string): Promise<{ pid: number; expiresAtMs: number; live: boolean } | null> {
  const { rows } = await admin.query<{ pid: number; expires_at: Date; live: boolean }>('SELECT pid, expires_at, expires_at > now() AS live FROM mailbox_leases WHERE mailbox_key = $1', [mailboxKey]);
  const row = rows[0];
  return row ? { pid: Number(row.pid), expiresAtMs: row.expires_at.getTime(), live: row.live } : null;
}

describe('two `mail-settings serve` on one PostgreSQL and one mailbox', () => {
  it(`SIGKILL of the lease holder at ≥ ${killsWhileHolding} random points: the other takes over once the lease expires; 0 lost, 0 doubled, every byte as served`, { timeout: 150_000 }, async ({ annotate }) => {
    const user = await addUser(`lease-kill-${randomUUID().slice(0, 8)}@example.test`);
    const mailboxKey = mailboxKeyOf(testbed().host, user.email, 'INBOX');
    const tag = randomUUID();
    const delivered: GeneratedMessage[] = variedMessages(200, `${tag}-0`);
    await writeToMaildir(user.email, delivered.map((m) => m.raw));
    // The server serves exactly the bytes delivered (so the delivered messages are what it served).
    const servedAtStart = await servedMessages(user);
    expect(new Set(servedAtStart.map((m) => m.sha256))).toEqual(new Set(delivered.map((m) => sha256Of(m.raw))));

    const installations = await Promise.all([installation('A', user), installation('B', user)]);
    const startedAt = Date.now();
    const killedPids = new Set<number>();
    let landedWhileHolding = 0;

    for (let round = 0; round < maxRounds && landedWhileHolding < killsWhileHolding; round += 1) {
      if (round > 0) {
        const more = variedMessages(randomInt(40, 120), `${tag}-${round}`);
        delivered.push(...more);
        await writeToMaildir(user.email, more.map((m) => m.raw));
      }
      // The holder: the installation whose run lists the new mail (only the lease's holder lists).
      const marks = installations.map((i) => i.serve.lines.length);
      const holderRun = await waitUntil(() => {
        for (const [n, i] of installations.entries()) {
          const listed = lineAfter(i.serve, marks[n] ?? 0, (line) => (listedCount(line) ?? 0) > 0);
          if (listed) return { holder: i, other: installations[1 - n]!, listedIndex: listed.index, listed: listedCount(listed.line) ?? 0 };
        }
        return null;
      }, 30_000, `round ${round}: a run that lists the mail`);
      const { holder, other } = holderRun;
      const beforeKill = await leaseRow(mailboxKey);
      expect(beforeKill, `round ${round}: the lease is ${holder.name}'s while its run lists the mailbox`).toMatchObject({ pid: holder.serve.pid });

      // Where to kill: a random moment of the fetch of the first batch, or just after a random batch is
      // kept (in the window between its commit and its removal from the server, or just past it).
      const batches = Math.ceil(holderRun.listed / 50);
      let point: string;
      if (batches > 1 && randomInt(2) === 0) {
        const nth = randomInt(1, batches);
        // Or the end of the run, if fewer batches were left to fetch than listed (some were kept before).
        const seen = await waitUntil(() => {
          const kept = linesAfter(holder.serve, holderRun.listedIndex, (line) => line.startsWith('<7>batch kept '));
          if (kept.length >= nth) return 'kept';
          return lineAfter(holder.serve, holderRun.listedIndex, (line) => line.startsWith('<6>retrieval finished ')) ? 'finished' : null;
        }, 30_000, `round ${round}: batch ${nth} kept`);
        const delayMs = randomInt(0, 40);
        await sleep(delayMs);
        point = seen === 'kept' ? `${delayMs} ms after batch ${nth} of ${batches} was kept` : `${delayMs} ms after its run finished`;
      } else {
        const delayMs = randomInt(0, 400);
        await sleep(delayMs);
        point = `${delayMs} ms after listing ${holderRun.listed} messages`;
      }
      const killedAt = Date.now();
      holder.serve.kill('SIGKILL');
      const exit = await holder.serve.exited;
      expect(exit.signal).toBe('SIGKILL');
      killedPids.add(holder.serve.pid);
      const otherMark = other.serve.lines.length;
      // A statement sent before the kill (a renewal) has landed by now: the lease the dead holder left.
      await sleep(100);
      const left = await leaseRow(mailboxKey);
      const held = left !== null && left.pid === holder.serve.pid;
      if (held) landedWhileHolding += 1;

      // The other installation takes the mailbox over, and never before the dead holder's lease expired.
      await waitUntil(() => lineAfter(other.serve, otherMark, (line) => listedCount(line) !== null), 30_000, `round ${round}: ${other.name} takes over`);
      const takenOverAt = Date.now();
      // In the reporter's output (all of them with --reporter verbose; a failed test's in any case).
      await annotate(
        `round ${round} (at ${((killedAt - startedAt) / 1_000).toFixed(1)} s): ${holder.name} (pid ${holder.serve.pid}) killed ${point}; ` +
          (held ? `its lease expired ${left.expiresAtMs - killedAt} ms after the kill; ` : 'its run had ended (lease released); ') +
          `${other.name} took over after ${takenOverAt - killedAt} ms`,
        'kill point',
      );
      if (held) expect(takenOverAt, `round ${round}: taken over before the lease expired`).toBeGreaterThanOrEqual(left.expiresAtMs);
      // Started again in its place: the same data directory, a new process.
      holder.serve = await serveOn(holder.dataDir);
    }
    expect(landedWhileHolding).toBeGreaterThanOrEqual(killsWhileHolding);

    // Whoever holds the lease now empties what is left.
    await waitUntil(async () => ((await messagesIn(user)) === 0 ? true : null), 60_000, 'the mailbox is emptied');
    await waitUntil(async () => ((await leaseRow(mailboxKey))?.live ? null : true), 10_000, 'no run in flight');
    // A service started again just now stops as a service does once it is serving (its signal handlers set).
    for (const { serve } of installations) await serve.waitForLine((line) => line.startsWith('<6>serving '));
    for (const { serve } of installations) serve.kill('SIGTERM');
    for (const { serve } of installations) expect((await serve.exited).code).toBe(0);

    // Every message the server served is kept exactly once (by sha256 and by Message-ID), byte for byte.
    const { rows } = await admin.query<{ message_id: string | null; raw_sha256: string; actual_sha256: string }>(
      "SELECT message_id, raw_sha256, encode(sha256(raw), 'hex') AS actual_sha256 FROM inbox_messages WHERE inbox = 'lead'",
    );
    const countOf = (values: readonly string[]): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
      return counts;
    };
    const bySha = countOf(rows.map((row) => row.actual_sha256));
    const byMessageId = countOf(rows.map((row) => row.message_id ?? ''));
    const lost = delivered.filter((m) => !byMessageId.has(m.messageId)).length;
    const doubled = [...byMessageId.values(), ...bySha.values()].filter((n) => n > 1).length;
    expect({ lost, doubled, kept: rows.length }).toEqual({ lost: 0, doubled: 0, kept: delivered.length });
    const deliveredSha = new Map(delivered.map((m) => [m.messageId, sha256Of(m.raw)]));
    const notAsServed = rows.filter((row) => row.actual_sha256 !== row.raw_sha256 || deliveredSha.get(row.message_id ?? '') !== row.actual_sha256);
    expect(notAsServed).toEqual([]);
    expect(await servedMessages(user)).toEqual([]);

    // Nothing failed on the way (no lease lost, no run refused for another reason); who held the mailbox
    // was said once per holder, never at every interval.
    const processes = [...started];
    const everyLine = processes.flatMap((p) => p.lines);
    expect(everyLine.filter((line) => line.startsWith('<3>') || line.startsWith('<4>'))).toEqual([]);
    const skips = everyLine.filter((line) => line.startsWith('<6>retrieval skipped: another installation empties this mailbox '));
    expect(skips.some((line) => [...killedPids].some((pid) => line.includes(` pid=${pid} `)))).toBe(true);
    for (const p of processes) {
      let saidBefore: string | null = null;
      for (const line of p.lines) {
        // A run of its own, or refused for another reason, in between: the holder is said again.
        if (line.startsWith('<6>retrieval finished ') || line.startsWith('<6>retrieval skipped: another run ')) saidBefore = null;
        const holder = / host=(\S+) pid=(\d+) /.exec(line);
        if (!line.startsWith('<6>retrieval skipped: another installation') || !holder) continue;
        expect(`${holder[1]} ${holder[2]}`).not.toBe(saidBefore);
        saidBefore = `${holder[1]} ${holder[2]}`;
      }
    }
    expect(everyLine.join('\n')).not.toContain(user.password);
  });

  it(`serve refuses a ${leaseTtlEnvVar} it cannot use with a plain message and exit 2`, async () => {
    for (const value of ['1', '3601', '2.5', 'soon']) {
      const refused = await runCli(['serve', '--interval', '1h', '--data-dir', join(tmpdir(), 'mail-settings-never-made')], { env: { ...process.env, [leaseTtlEnvVar]: value } });
      expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
      expect(refused.stderr).toBe(`${leaseTtlEnvVar} must be a whole number of seconds from 2 to 3600 (it is “${value}”); unset, it is 60.\n`);
    }
  });
});
