import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { malformedMessages, webFormMessages } from '../support/inbox-messages';
import { servedMessages, sha256Of } from '../support/retrieval-fixtures';
import { runCli } from '../support/run-cli';
import { runCliForBytes } from '../support/run-cli-bytes';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/** One record as `records list` prints it. */
interface ListedRecord {
  readonly id: number;
  readonly inbox: string;
  readonly type: string | null;
  readonly messageId: string | null;
  readonly subject: string;
  readonly fromAddress: string | null;
  readonly date: string | null;
  readonly rawSha256: string;
  readonly rawSize: number;
  readonly fields: Record<string, string>;
  readonly caseId: number | null;
  readonly parseError: string | null;
}

function lastJsonLine(stdout: string): unknown {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines.at(-1) ?? 'null');
}

describe('mail-settings configure / test-connection / retrieve / records for the inboxes (the built CLI, Dovecot)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-inbox-'));
  });
  afterAll(async () => {
    await clearKeychainOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  const configure = (inbox: 'lead' | 'service-desk', user: TestUser, password: string, extra: readonly string[] = []) =>
    runCli(
      ['configure', inbox, '--host', testbed().host, '--port', String(testbed().dovecot.ports.imap), '--security', 'starttls', '--user', user.email,
        '--password-stdin', ...extra, '--json', '--data-dir', dataDir],
      { stdin: `${password}\n` },
    );

  it('configure → test-connection → retrieve → records list → records raw gives the bytes the server served', async () => {
    const tag = randomUUID();
    const messages = [...webFormMessages(4, tag).map((m) => m.raw), ...malformedMessages(tag)];
    const user = await addUser(`cli-lead-${randomUUID().slice(0, 8)}@example.test`);
    await writeToMaildir(user.email, messages);
    const served = await servedMessages(user);
    expect(served).toHaveLength(messages.length);

    const configured = await configure('lead', user, user.password);
    expect(configured.code).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ ok: true, inbox: { inbox: 'lead', passwordStored: true, settings: { port: testbed().dovecot.ports.imap, recordType: 'Web Lead' } } });
    expect(configured.stdout + configured.stderr).not.toContain(user.password);

    const tested = await runCli(['test-connection', 'lead', '--json', '--data-dir', dataDir]);
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout)).toEqual({ ok: true, message: 'We were able to connect to your mailbox.' });

    const retrieved = await runCli(['retrieve', 'lead', '--json', '--data-dir', dataDir]);
    expect(retrieved.code).toBe(0);
    expect(lastJsonLine(retrieved.stdout)).toMatchObject({ ok: true, retrieved: messages.length });
    expect(await servedMessages(user)).toEqual([]);

    const listed = await runCli(['records', 'list', '--inbox', 'lead', '--json', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    const records = JSON.parse(listed.stdout) as ListedRecord[];
    expect(records).toHaveLength(messages.length);
    for (const record of records) {
      expect(Object.keys(record)).toEqual(expect.arrayContaining(['id', 'inbox', 'type', 'messageId', 'subject', 'fromAddress', 'date', 'rawSha256', 'rawSize', 'fields', 'caseId', 'parseError']));
      expect(record).toMatchObject({ inbox: 'lead', type: 'Web Lead', caseId: null });
    }
    expect(new Set(records.map((r) => r.rawSha256))).toEqual(new Set(served.map((m) => m.sha256)));
    expect(records.find((r) => r.messageId === `${tag}.2@testbed.localhost`)).toMatchObject({ fields: { name: 'Person 2', email: 'person2@example.test' }, parseError: null });

    // Every record's original, byte for byte, as the server served it (Dovecot serves a NUL as 0x80, so
    // the comparison is with what it served, not with what was delivered).
    for (const record of records) {
      const raw = await runCliForBytes(['records', 'raw', String(record.id), '--data-dir', dataDir]);
      expect(raw.code).toBe(0);
      expect(sha256Of(raw.stdout)).toBe(record.rawSha256);
      expect(raw.stdout.length).toBe(record.rawSize);
    }
    // 8-bit header bytes (not UTF-8) come out untouched: no decoding on the way to stdout.
    const eightBit = records.find((r) => r.messageId === `${tag}.8bit@testbed.localhost`);
    const eightBitRaw = await runCliForBytes(['records', 'raw', String(eightBit?.id), '--data-dir', dataDir]);
    expect(eightBitRaw.stdout.equals(malformedMessages(tag)[2] ?? Buffer.alloc(0))).toBe(true);

    const again = await runCli(['retrieve', 'lead', '--json', '--data-dir', dataDir]);
    expect(again.code).toBe(0);
    expect(lastJsonLine(again.stdout)).toMatchObject({ ok: true, retrieved: 0 });
  });

  it('the Service Desk inbox opens a case per message', async () => {
    const messages = webFormMessages(2, randomUUID());
    const user = await addUser(`cli-desk-${randomUUID().slice(0, 8)}@example.test`);
    await writeToMaildir(user.email, messages.map((m) => m.raw));
    expect((await configure('service-desk', user, user.password)).code).toBe(0);
    const retrieved = await runCli(['retrieve', 'service-desk', '--json', '--data-dir', dataDir]);
    expect(lastJsonLine(retrieved.stdout)).toMatchObject({ ok: true, retrieved: 2 });
    const listed = await runCli(['records', 'list', '--inbox', 'service-desk', '--json', '--data-dir', dataDir]);
    const records = JSON.parse(listed.stdout) as ListedRecord[];
    expect(records.filter((r) => messages.some((m) => m.messageId === r.messageId)).map((r) => [r.inbox, r.type, typeof r.caseId])).toEqual([
      ['serviceDesk', null, 'number'],
      ['serviceDesk', null, 'number'],
    ]);
  });

  it('a failed retrieval: exit 1, the last line is the error with its fix, and the mail stays', async () => {
    const user = await addUser(`cli-fail-${randomUUID().slice(0, 8)}@example.test`);
    await writeToMaildir(user.email, webFormMessages(1, randomUUID()).map((m) => m.raw));
    expect((await configure('lead', user, 'not-the-password')).code).toBe(0);
    const tested = await runCli(['test-connection', 'lead', '--json', '--data-dir', dataDir]);
    expect(tested.code).toBe(1);
    expect(JSON.parse(tested.stdout)).toMatchObject({ ok: false, error: { code: 'IMAP_AUTH_FAILED' } });
    const retrieved = await runCli(['retrieve', 'lead', '--json', '--data-dir', dataDir]);
    expect(retrieved.code).toBe(1);
    expect(lastJsonLine(retrieved.stdout)).toEqual({ ok: false, error: { code: 'IMAP_AUTH_FAILED', message: expect.any(String), fix: expect.any(String) } });
    expect(await servedMessages(user)).toHaveLength(1);
  });

  it('an inbox never configured, and an unknown record: exit 1 with what to do', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'mail-settings-cli-inbox-empty-'));
    try {
      const retrieved = await runCli(['retrieve', 'service-desk', '--json', '--data-dir', empty]);
      expect(retrieved.code).toBe(1);
      expect(lastJsonLine(retrieved.stdout)).toMatchObject({ ok: false, error: { code: 'NOT_CONFIGURED' } });
      const raw = await runCliForBytes(['records', 'raw', '999999', '--data-dir', empty]);
      expect(raw.code).toBe(1);
      expect(raw.stdout.length).toBe(0);
    } finally {
      await clearKeychainOf(empty);
      await rm(empty, { recursive: true, force: true });
    }
  });
});
