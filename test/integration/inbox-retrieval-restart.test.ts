import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imapClientOptions, retrievalTimeouts } from '../../src/main/inbox/imap-client-options';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import type { RetrievalDependencies, RetrievalProgress, RetrievalRequest, RetrievalSummary } from '../../src/main/inbox/retrieval/retrieval-types';
import { retrieveInWorker } from '../../src/main/inbox/retrieval/run-in-worker';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { ErrorCode, type Result } from '../../src/shared/errors';
import { webFormMessages } from '../support/inbox-messages';
import { servedMessages, sha256Of, withInbox, type ServedMessage } from '../support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir, type DovecotInfo, type TestUser } from '../testbed/client';
import { startDovecot, waitUntilImapReady, type DovecotOptions, type RunningDovecot } from '../testbed/dovecot';
import { crash, freeze, isRunning, processTree, stopLikeServiceManager, waitUntilPortsFree } from '../testbed/server-outage';

/**
 * Retrieval while the server goes away as real ones do (server-outage.ts): restarted by its service
 * manager, crashed and started again, or silent with its connections still open. A Dovecot of this
 * file's own (the shared ones serve other files in parallel), on the same ports and directories when it
 * comes back. A run cut off ends with CONNECTION_LOST in bounded time, the next run completes, and nothing
 * is lost or doubled.
 *
 * Every step waits for an explicit condition (a committed batch, every server process gone, the ports
 * free, both IMAP ports greeting again, the mailbox opening again) under its own deadline, so a failure
 * names the step and shows the server's state instead of running into the test's timeout.
 */

const messageCount = 60;
const batchMessages = 20;

let dataDir: string;
let records: RecordsStore;
/** The private Dovecot currently up (if any); killed after every test, pass or fail. */
let server: RunningDovecot | undefined;
/** Undone after every test, last first (a frozen server thawed, a held run released …). */
let undo: Array<() => unknown> = [];
/** Runs started by a test: a failed test's run is let finish (its server gone) before its records close. */
let runs: Array<Promise<unknown>> = [];
/** The test's mailbox owner, for the diagnostics of a step that timed out. */
let mailboxUser: TestUser | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-retrieval-restart-'));
  records = await openRecordsStore(dataDir);
});
afterEach(async () => {
  for (const step of undo.reverse()) await step();
  undo = [];
  const last = server;
  server = undefined;
  if (last) {
    await crash(last.pid);
    await last.stop();
  }
  await Promise.race([Promise.allSettled(runs), sleep(20_000)]);
  runs = [];
  mailboxUser = undefined;
  await records.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `work`; fails with `what`, the deadline and the server's state if it takes longer than `timeoutMs`. */
async function step<T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void serverState().then((state) => reject(new Error(`Step "${what}" did not finish within ${timeoutMs} ms.\n${state}`)));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function serverState(): Promise<string> {
  if (!server) return 'No private Dovecot is running.';
  const processes = await processTree(server.pid);
  const log = await readFile(server.logPath, 'utf8').catch(() => '');
  const locks = mailboxUser ? await lockFilesOf(mailboxUser) : [];
  return [
    `Dovecot ${server.pid} on ${JSON.stringify(server.ports)}: ${processes.map((p) => `${p.pid} ${p.name} (${p.state})`).join(', ') || 'no process'}`,
    `Lock files in the Maildir: ${locks.join(', ') || 'none'}`,
    `Last lines of ${server.logPath}:`,
    ...log.trimEnd().split('\n').slice(-15),
  ].join('\n');
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

async function startPrivateDovecot(options: DovecotOptions): Promise<RunningDovecot> {
  const started = await step(`Dovecot starts${options.ports ? ` again on ports ${JSON.stringify(options.ports)}` : ''}`, 30_000, () => startDovecot(options));
  server = started;
  // Readiness a client can rely on: both IMAP ports greet, the implicit-TLS one after its handshake.
  await step('both IMAP ports greet', 20_000, () => waitUntilImapReady(started.ports, testbed().ca.caPem));
  expect(await isRunning(started.pid)).toBe(true);
  return started;
}

/** Dovecot's dotlocks in the user's Maildir (`dovecot-uidlist.lock` …), with the "pid:host" each holds. */
async function lockFilesOf(user: TestUser): Promise<string[]> {
  const [local = '', domain = ''] = user.email.split('@');
  const maildir = join(testbed().mailRoot, domain, local, 'Maildir');
  const names = (await readdir(maildir).catch(() => [])).filter((name) => name.endsWith('.lock'));
  return Promise.all(names.map(async (name) => `${name} (${(await readFile(join(maildir, name), 'utf8').catch(() => '')).trim()})`));
}

/**
 * Resolves once a client can sign in and open INBOX. After an unclean stop Dovecot may hold the mailbox
 * until it has recovered its own lock (up to its two-minute stale-lock timeout): this waits for that,
 * attempt after attempt, instead of letting the next step run into it.
 */
async function waitUntilMailboxOpens(user: TestUser, dovecot: RunningDovecot): Promise<void> {
  for (;;) {
    try {
      await withInbox(user, infoOf(dovecot), async () => undefined);
      return;
    } catch {
      await sleep(500);
    }
  }
}

function infoOf(dovecot: RunningDovecot): DovecotInfo {
  return { ports: dovecot.ports, mechanisms: dovecot.mechanisms, logPath: dovecot.logPath, configPath: dovecot.configPath };
}

/** A mailbox of `messageCount` distinct messages on `dovecot`, as the server serves them. */
async function mailboxOn(dovecot: RunningDovecot): Promise<{ user: TestUser; served: ServedMessage[] }> {
  const user = await addUser(`retrieval-restart-${randomUUID()}@example.test`);
  mailboxUser = user;
  await writeToMaildir(user.email, webFormMessages(messageCount, randomUUID()).map((m) => m.raw));
  const served = await step('the server lists the new mailbox', 30_000, () => servedMessages(user, infoOf(dovecot)));
  expect(served).toHaveLength(messageCount);
  // Every message distinct, so "exactly one record per sha256" is a real check.
  expect(new Set(served.map((m) => m.sha256)).size).toBe(messageCount);
  return { user, served };
}

/** What the app builds for this inbox (imapClientOptions: its TLS options and retrieval timeouts), SSL/TLS on the imaps port. */
function appConnection(user: TestUser, dovecot: RunningDovecot): ImapFlowOptions {
  return imapClientOptions({ serverName: testbed().host, port: dovecot.ports.imaps, security: 'tls' }, { user: user.email, pass: user.password }, null);
}

function requestFor(user: TestUser, dovecot: RunningDovecot, connection: Partial<ImapFlowOptions> = {}): RetrievalRequest {
  return { inbox: 'lead', dataDir, connection: { ...appConnection(user, dovecot), ...connection }, leadActivityType: 'Web Lead', batchMessages };
}

/** A run the test started, so that afterEach can let it end. */
function tracked<T>(run: Promise<T>): Promise<T> {
  runs.push(run);
  return run;
}

function deps(overrides: Partial<RetrievalDependencies> = {}): RetrievalDependencies {
  return { records: records.inbox, createClient: (options) => new ImapFlow(options), parse: parseInbound, now: () => new Date(), ...overrides };
}

interface HeldRun {
  /** Resolves when the run reached the point it is held at; rejects if the run ended before it. */
  readonly reached: Promise<void>;
  readonly result: Promise<Result<RetrievalSummary>>;
  /** Lets the run go on from where it is held. */
  release(): void;
}

/** Starts a run (on this thread) that stops at the first progress event `holdAt` accepts until released. */
function runHeldAt(request: RetrievalRequest, holdAt: (progress: RetrievalProgress) => boolean): HeldRun {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arrived = (): void => undefined;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  let held = false;
  const result = tracked(retrieveInbox(request, deps({
    onProgress: async (progress) => {
      if (held || !holdAt(progress)) return;
      held = true;
      arrived();
      await gate;
    },
  })));
  undo.push(release);
  const endedFirst = result.then((outcome) => {
    throw new Error(`The run ended before the point it was to be held at: ${JSON.stringify(outcome)}`);
  });
  return { reached: Promise.race([arrival, endedFirst]), result, release };
}

const firstCommit = (progress: RetrievalProgress): boolean => progress.kind === 'committed';

async function recordCount(): Promise<number> {
  return (await records.inbox.list({ inbox: 'lead', limit: 100_000 })).length;
}

/** 0 lost, 0 doubled, every kept byte equal to what the server served; the mailbox is empty. */
async function expectEverythingKeptOnce(user: TestUser, served: readonly ServedMessage[], dovecot: RunningDovecot): Promise<void> {
  const kept = await records.inbox.list({ inbox: 'lead', limit: 100_000 });
  const keptBySha = new Map<string, number>();
  for (const record of kept) keptBySha.set(record.rawSha256, (keptBySha.get(record.rawSha256) ?? 0) + 1);
  const doubled = [...keptBySha.values()].filter((n) => n > 1).length;
  const lost = served.filter((m) => !keptBySha.has(m.sha256)).length;
  expect({ lost, doubled, kept: kept.length }).toEqual({ lost: 0, doubled: 0, kept: served.length });
  for (const record of kept) expect(sha256Of((await records.inbox.raw(record.id)) ?? new Uint8Array())).toBe(record.rawSha256);
  expect(await step('the server lists the emptied mailbox', 30_000, () => servedMessages(user, infoOf(dovecot)))).toEqual([]);
}

describe('a retrieval while the server goes away', () => {
  const outages = [
    { kind: 'its service manager restarts it (SIGTERM to every process, BYE to the clients)', stop: (pid: number) => stopLikeServiceManager(pid) },
    { kind: 'it crashes and is started again (SIGKILL to every process, connections reset)', stop: (pid: number) => crash(pid) },
  ];

  it.each(outages)('when $kind, the run ends with CONNECTION_LOST and the next run completes', { timeout: 240_000 }, async ({ kind, stop }) => {
    const options = await privateDovecotOptions();
    const first = await startPrivateDovecot(options);
    const { user, served } = await mailboxOn(first);

    const run = runHeldAt(requestFor(user, first), firstCommit);
    await step('the first batch is committed', 30_000, () => run.reached);
    // Kept, and not yet flagged or expunged: the run waits right after its first COMMIT.
    expect(await recordCount()).toBe(batchMessages);

    await step(`Dovecot stops: ${kind}`, 30_000, () => stop(first.pid));
    await first.stop();
    server = undefined;
    // Nothing of the old instance may answer on its ports (an orphaned login process would greet).
    await step('its ports are free', 10_000, () => waitUntilPortsFree(Object.values(first.ports)));
    const restarted = await startPrivateDovecot({ ...options, ports: first.ports });
    expect(restarted.pid).not.toBe(first.pid);
    await step('the restarted server opens the mailbox', 150_000, () => waitUntilMailboxOpens(user, restarted));

    run.release();
    // The server ended the session (BYE or a reset): the run must notice without waiting for a timeout.
    const cut = await step('the interrupted run ends', 20_000, () => run.result);
    expect(cut).toMatchObject({ ok: false, error: { code: ErrorCode.ConnectionLost } });
    expect(await recordCount()).toBe(batchMessages);
    // The restarted server still has everything: the first batch was kept but not yet expunged.
    expect(await step('the restarted server lists the mailbox', 30_000, () => servedMessages(user, infoOf(restarted)))).toHaveLength(messageCount);

    const next = await step('the next run', 60_000, () => tracked(retrieveInbox(requestFor(user, restarted), deps())));
    expect(next).toMatchObject({ ok: true, value: { retrieved: messageCount - batchMessages, alreadyStored: batchMessages, leftForLaterExpunge: 0 } });
    await expectEverythingKeptOnce(user, served, restarted);
  });

  it('when it stops answering with the connections open, a run ends with CONNECTION_LOST after the socket timeout, a new run (on its worker thread) gives up connecting, and the next run once it answers completes', { timeout: 180_000 }, async () => {
    // The app's own options with short waits, so the test takes seconds: the same imapflow timers.
    const silence = { socketTimeout: 3_000 };
    const unanswered = { connectionTimeout: 3_000, greetingTimeout: 3_000 };
    expect(retrievalTimeouts.socketTimeout).toBeGreaterThan(silence.socketTimeout);

    const dovecot = await startPrivateDovecot(await privateDovecotOptions());
    const { user, served } = await mailboxOn(dovecot);

    const run = runHeldAt(requestFor(user, dovecot, silence), firstCommit);
    await step('the first batch is committed', 30_000, () => run.reached);
    const frozen = await step('every Dovecot process stops (SIGSTOP)', 10_000, () => freeze(dovecot.pid));
    undo.push(() => frozen.thaw());
    expect(frozen.processes.some((p) => p.name === 'imap')).toBe(true);

    const releasedAt = Date.now();
    run.release();
    // Its next command (flagging the batch) gets no answer: the socket timeout ends the run.
    const cut = await step('the run against the silent server ends', silence.socketTimeout + 15_000, () => run.result);
    const waited = Date.now() - releasedAt;
    expect(cut).toMatchObject({ ok: false, error: { code: ErrorCode.ConnectionLost } });
    expect(waited).toBeGreaterThanOrEqual(silence.socketTimeout - 500);
    expect(await recordCount()).toBe(batchMessages);

    // A new run, as the app starts it: on a worker thread. The kernel accepts the connection, the server never answers.
    const attempt = await step('a run on a worker thread against the silent server ends', 30_000, () => tracked(retrieveInWorker(requestFor(user, dovecot, unanswered))));
    expect(attempt.ok).toBe(false);
    expect(attempt.ok ? null : attempt.error.code).toBe(ErrorCode.ConnectionTimedOut);

    frozen.thaw();
    await step('both IMAP ports greet again', 20_000, () => waitUntilImapReady(dovecot.ports, testbed().ca.caPem));
    const next = await step('the next run', 60_000, () => tracked(retrieveInbox(requestFor(user, dovecot), deps())));
    expect(next).toMatchObject({ ok: true, value: { retrieved: messageCount - batchMessages, alreadyStored: batchMessages, leftForLaterExpunge: 0 } });
    await expectEverythingKeptOnce(user, served, dovecot);
  });
});
