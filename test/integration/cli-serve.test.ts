import { randomUUID } from 'node:crypto';
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRecordsStore } from '../../src/main/records/records-store';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages, type GeneratedMessage } from '../support/inbox-messages';
import { servedMessages, sha256Of } from '../support/retrieval-fixtures';
import { runCli } from '../support/run-cli';
import { startServe, type ServeChild } from '../support/serve-child';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * `mail-settings serve` as a service manager runs it: the built CLI in the background against the test
 * bed's Dovecot, mail delivered while it runs, SIGTERM while a retrieval is in flight, a restart.
 */

let dataDir: string;
const started: ServeChild[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-serve-'));
});
afterEach(() => {
  // A test that failed half-way leaves no service running behind it.
  for (const child of started.splice(0)) child.kill('SIGKILL');
});
afterAll(async () => {
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

async function serve(): Promise<ServeChild> {
  const child = await startServe(['--interval', '2s', '--data-dir', dataDir]);
  started.push(child);
  return child;
}

/** Records of the Lead Inbox, read as another reader of the database would (committed batches only). */
async function leadRecords(): Promise<Array<{ id: number; messageId: string | null; rawSha256: string; raw: Uint8Array | null }>> {
  const records = await openRecordsStore(dataDir);
  try {
    const kept = await records.inbox.list({ inbox: 'lead', limit: 100_000 });
    return await Promise.all(kept.map(async (r) => ({ id: r.id, messageId: r.messageId, rawSha256: r.rawSha256, raw: await records.inbox.raw(r.id) })));
  } finally {
    await records.close();
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const listedAtLeast = (count: number) => (line: string): boolean => {
  const listed = /^<6>retrieval listed the mailbox inbox=lead messages=(\d+)$/.exec(line);
  return listed !== null && Number(listed[1]) >= count;
};

describe('mail-settings serve (the built CLI, Dovecot)', () => {
  it('empties the Lead Inbox each interval; SIGTERM mid-retrieval exits 0 within 10 s; after a restart 0 lost, 0 doubled', { timeout: 180_000 }, async () => {
    const user: TestUser = await addUser(`cli-serve-${randomUUID().slice(0, 8)}@example.test`);
    const configured = await runCli(
      ['configure', 'lead', '--host', testbed().host, '--port', String(testbed().dovecot.ports.imap), '--security', 'starttls', '--user', user.email, '--password-stdin', '--data-dir', dataDir],
      { stdin: `${user.password}\n` },
    );
    expect(configured.code).toBe(0);

    const first = await serve();
    const serving = await first.waitForLine((line) => line.startsWith('<6>serving '));
    expect(serving.line).toMatch(/^<6>serving data_dir=\S+ interval=2s inboxes=lead account_checks="every 15m" version=\S+ pid=\d+$/);
    await first.waitForLine((line) => line.startsWith('<6>retrieval finished inbox=lead retrieved=0 '));

    // Mail arrives while the service runs: it becomes records within an interval or two.
    const tag = randomUUID();
    const early = webFormMessages(5, `${tag}-early`);
    await writeToMaildir(user.email, early.map((m) => m.raw));
    await waitFor(async () => (await leadRecords()).length === 5, 20_000);
    await first.waitForLine((line) => /^<6>retrieval finished inbox=lead retrieved=5 already_stored=0 expunged=5 /.test(line));

    // Enough mail that a run takes a while; SIGTERM once a run that listed most of it has kept a batch.
    const many = webFormMessages(1_500, `${tag}-many`);
    const mark = first.lines.length;
    await writeToMaildir(user.email, many.map((m) => m.raw));
    const listed = await first.waitForLine(listedAtLeast(500), { from: mark, timeoutMs: 60_000 });
    await first.waitForLine((line) => line.startsWith('<7>batch kept inbox=lead '), { from: listed.index });
    const signalledAt = Date.now();
    first.kill('SIGTERM');
    const exit = await first.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(10_000);
    const tail = first.lines.filter((line) => line !== '').slice(-3);
    expect(tail[0]).toBe('<6>stopping: nothing new starts; a run in flight stops once its batch is kept or left whole signal=SIGTERM in_flight=lead');
    expect(tail[1]).toMatch(/^<6>retrieval stopped: every batch was kept whole or left on the server inbox=lead retrieved=[1-9]\d* duration=\S+$/);
    expect(tail[2]).toBe('<6>stopped signal=SIGTERM');

    // Stopped mid-way, at a clean point: mail is left, and nothing is both kept and still on the server.
    const delivered: GeneratedMessage[] = [...early, ...many];
    const left = await servedMessages(user);
    const keptAtStop = await leadRecords();
    expect(left.length).toBeGreaterThan(0);
    expect(keptAtStop.length + left.length).toBe(delivered.length);
    const keptShas = new Set(keptAtStop.map((r) => r.rawSha256));
    expect(left.filter((m) => keptShas.has(m.sha256))).toEqual([]);

    // Restarted, the service empties the rest: nothing found already kept, the mailbox ends empty.
    const second = await serve();
    const finished = await second.waitForLine((line) => line.startsWith('<6>retrieval finished inbox=lead ') && !line.includes(' retrieved=0 '), { timeoutMs: 90_000 });
    expect(finished.line).toMatch(new RegExp(`^<6>retrieval finished inbox=lead retrieved=${left.length} already_stored=0 expunged=${left.length} left_for_later=0 `));
    expect(await servedMessages(user)).toEqual([]);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(second.lines.filter((line) => line !== '').at(-1)).toBe('<6>stopped signal=SIGTERM');

    // 0 lost, 0 doubled, every kept byte what was delivered.
    const kept = await leadRecords();
    const perMessageId = new Map<string, number>();
    for (const record of kept) perMessageId.set(record.messageId ?? '', (perMessageId.get(record.messageId ?? '') ?? 0) + 1);
    const lost = delivered.filter((m) => !perMessageId.has(m.messageId)).length;
    const doubled = [...perMessageId.values()].filter((n) => n > 1).length;
    expect({ lost, doubled, kept: kept.length }).toEqual({ lost: 0, doubled: 0, kept: delivered.length });
    const deliveredSha = new Map(delivered.map((m) => [m.messageId, sha256Of(m.raw)]));
    for (const record of kept) {
      expect(sha256Of(record.raw ?? new Uint8Array())).toBe(deliveredSha.get(record.messageId ?? ''));
    }

    // Nothing went wrong on the way, and no password in the log.
    const everyLine = [...first.lines, ...second.lines];
    expect(everyLine.filter((line) => line.startsWith('<3>') || line.startsWith('<4>'))).toEqual([]);
    expect(everyLine.join('\n')).not.toContain(user.password);
    expect(everyLine.every((line) => line === '' || /^<[3467]>\S/.test(line))).toBe(true);
  });

  it('--ui serves the window beside the schedule: its address in a file only the service’s user reads, its secret never in the log', async () => {
    const uiDataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-serve-ui-'));
    try {
      const child = await startServe(['--interval', '1h', '--ui', '--data-dir', uiDataDir]);
      started.push(child);
      const serving = await child.waitForLine((line) => line.startsWith('<6>ui serving'));
      const addressFile = join(uiDataDir, 'ui-address');
      expect(serving.line).toBe(`<6>ui serving: open the address in the file in a browser on this computer port=${/port=(\d+)/.exec(serving.line)?.[1]} address_file=${addressFile}`);
      expect((await stat(addressFile)).mode & 0o777).toBe(0o600);
      const address = (await readFile(addressFile, 'utf8')).trim();
      const page = await fetch(address);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Mail Settings</title>');
      expect((await fetch(new URL('/', address))).status).toBe(401);
      const secret = new URL(address).pathname.split('/')[1] ?? '';
      expect(secret.length).toBeGreaterThan(20);

      child.kill('SIGTERM');
      expect((await child.exited).code).toBe(0);
      expect(child.lines.join('\n')).not.toContain(secret);
      expect(child.lines.filter((line) => line !== '').at(-1)).toBe('<6>stopped signal=SIGTERM');
      await expect(access(addressFile)).rejects.toThrow();
    } finally {
      await rm(uiDataDir, { recursive: true, force: true });
    }
  });

  it('refuses an interval it cannot use with a plain message and exit 2', async () => {
    for (const interval of ['0s', 'soon', '5']) {
      const refused = await runCli(['serve', '--interval', interval, '--data-dir', dataDir]);
      expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
      expect(refused.stderr).toMatch(/interval/);
    }
  });
});
