import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import type { RetrievalDependencies } from '../../src/main/inbox/retrieval/retrieval-types';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { ErrorCode } from '../../src/shared/errors';
import { webFormMessages } from '../support/inbox-messages';
import { retrievalRequestFor, servedMessages, sha256Of, type ServedMessage } from '../support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir, type DovecotInfo, type TestUser } from '../testbed/client';
import { startDovecot, type DovecotOptions, type RunningDovecot } from '../testbed/dovecot';

/**
 * Retrieval while the server restarts: a Dovecot of this file's own (the shared ones serve other files
 * in parallel) is stopped by its pid after the first committed batch and started again on the same
 * ports and directories. The interrupted run fails cleanly; the next run completes; nothing is lost or
 * doubled.
 */

let dataDir: string;
let records: RecordsStore;
/** The private Dovecot currently running (if any): stopped after every test, pass or fail. */
let running: RunningDovecot | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-retrieval-restart-'));
  records = await openRecordsStore(dataDir);
});
afterEach(async () => {
  const dovecot = running;
  running = undefined;
  records.close();
  await Promise.all([dovecot && stopWholeInstance(dovecot), rm(dataDir, { recursive: true, force: true })]);
});

function deps(overrides: Partial<RetrievalDependencies> = {}): RetrievalDependencies {
  return { records: records.inbox, createClient: (options) => new ImapFlow(options), parse: parseInbound, now: () => new Date(), ...overrides };
}

/**
 * Options for a Dovecot of our own: the test bed's users (passwd-files) and Maildirs, CA, bridge and
 * relay, but its own directory (config, base_dir, state, log) inside the test bed's temp dir.
 */
async function privateDovecotOptions(): Promise<DovecotOptions> {
  const info = testbed();
  // The mail root is owned by the mail owner (nobody as root, else us): Dovecot serves mail as that user.
  const owner = await stat(info.mailRoot);
  const [certPem, keyPem] = await Promise.all([readFile(info.ca.certPath, 'utf8'), readFile(info.ca.keyPath, 'utf8')]);
  return {
    name: 'restart',
    // Short: Dovecot's unix sockets live under it, and socket paths are limited to ~107 bytes.
    dir: join(info.dir, `dr-${randomBytes(3).toString('hex')}`),
    ca: { ...info.ca, certPem, keyPem },
    passwdDir: join(info.dir, 'passwd.d'),
    mailRoot: info.mailRoot,
    owner: { uid: owner.uid, gid: owner.gid },
    bridgeUrl: info.bridgeUrl,
    relayPort: info.relaySink.port,
    mechanisms: ['plain', 'login'],
  };
}

function infoOf(dovecot: RunningDovecot): DovecotInfo {
  return { ports: dovecot.ports, mechanisms: dovecot.mechanisms, logPath: dovecot.logPath, configPath: dovecot.configPath };
}

/** The pids whose parent is `pid` (from /proc), e.g. a Dovecot master's imap, login, auth, log processes. */
async function childPidsOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

/**
 * Stops an instance as a service manager's restart does: the master by its pid, then every process it
 * had started, by their pids. The master alone leaves its logged-in imap processes serving their
 * clients (they outlive it as orphans), which would be no restart at all.
 */
async function stopWholeInstance(dovecot: RunningDovecot): Promise<void> {
  const children = await childPidsOf(dovecot.pid);
  await dovecot.stop();
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + 5_000;
  while ([dovecot.pid, ...children].some(isAlive)) {
    if (Date.now() > deadline) throw new Error(`Dovecot (${dovecot.name}) processes still alive: ${[dovecot.pid, ...children].filter(isAlive).join(' ')}`);
    await sleep(20);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** 0 lost, 0 doubled, every kept byte equal to what the server served; the mailbox is empty. */
async function expectEverythingKeptOnce(user: TestUser, served: readonly ServedMessage[], server: DovecotInfo): Promise<void> {
  const kept = records.inbox.list({ inbox: 'lead', limit: 100_000 });
  const keptBySha = new Map<string, number>();
  for (const record of kept) keptBySha.set(record.rawSha256, (keptBySha.get(record.rawSha256) ?? 0) + 1);
  const doubled = [...keptBySha.values()].filter((n) => n > 1).length;
  const lost = served.filter((m) => !keptBySha.has(m.sha256)).length;
  expect({ lost, doubled, kept: kept.length }).toEqual({ lost: 0, doubled: 0, kept: served.length });
  // Every served message has exactly one record with its sha256, and the stored bytes hash to it.
  for (const message of served) expect(keptBySha.get(message.sha256)).toBe(1);
  for (const record of kept) expect(sha256Of(records.inbox.raw(record.id) ?? new Uint8Array())).toBe(record.rawSha256);
  expect(await servedMessages(user, server)).toEqual([]);
}

describe('a retrieval while Dovecot restarts', () => {
  it('fails with CONNECTION_LOST when Dovecot is stopped mid-run and started again, and the next run completes', { timeout: 90_000 }, async () => {
    const options = await privateDovecotOptions();
    const first = await startDovecot(options);
    running = first;
    const server = infoOf(first);
    const user = await addUser(`retrieval-restart-${randomUUID()}@example.test`);
    await writeToMaildir(user.email, webFormMessages(200, randomUUID()).map((m) => m.raw));
    const served = await servedMessages(user, server);
    expect(served).toHaveLength(200);
    // Every message distinct, so "exactly one record per sha256" is a real check.
    expect(new Set(served.map((m) => m.sha256)).size).toBe(200);

    let commits = 0;
    let restarted: RunningDovecot | undefined;
    const cut = await retrieveInbox({ ...retrievalRequestFor(user, dataDir, { server }), batchMessages: 20 }, deps({
      onProgress: async (progress) => {
        // After the first commit, before its server copies are flagged and expunged: stop the server
        // (its master pid; it ends the IMAP sessions) and start it again on the same ports and dirs.
        if (progress.kind !== 'committed' || (commits += 1) !== 1) return;
        running = undefined;
        const children = await childPidsOf(first.pid);
        expect(children.length).toBeGreaterThan(0);
        await stopWholeInstance(first);
        expect([first.pid, ...children].filter(isAlive)).toEqual([]);
        restarted = await startDovecot({ ...options, ports: first.ports });
        running = restarted;
      },
    }));
    expect(commits).toBe(1);
    expect(restarted).toBeDefined();
    expect(restarted?.pid).not.toBe(first.pid);
    expect(restarted?.ports).toEqual(first.ports);
    expect(cut).toMatchObject({ ok: false, error: { code: ErrorCode.ConnectionLost } });
    expect(records.inbox.list({ inbox: 'lead', limit: 1_000 })).toHaveLength(20);
    // The restarted server still has everything: the first batch was kept but not yet expunged.
    expect(await servedMessages(user, server)).toHaveLength(200);

    const next = await retrieveInbox(retrievalRequestFor(user, dataDir, { server }), deps());
    expect(next).toMatchObject({ ok: true, value: { retrieved: 180, alreadyStored: 20, leftForLaterExpunge: 0 } });
    await expectEverythingKeptOnce(user, served, server);
  });
});
