import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { createTestDatabase, withPostgresClient, type TestDatabase } from '../support/postgres-database';
import { servedMessages } from '../support/retrieval-fixtures';
import { runCli } from '../support/run-cli';
import { addUser, testbed, writeToMaildir } from '../testbed/client';

function lastJsonLine(stdout: string): unknown {
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');
}

/** What the records list prints of each record (enough to match it with the database's rows). */
interface ListedRecord {
  readonly inbox: string;
  readonly messageId: string | null;
  readonly rawSha256: string;
}

/**
 * `--database URL` on the built CLI (issue 16), with the test bed's PostgreSQL and Dovecot: the records a
 * retrieval makes go to the shared database, not the data directory; a wrong password is said with its
 * fix (exit 1) and never printed; `status` says which records database is used and whether it answers.
 */
describe('mail-settings --database (the built CLI, test bed PostgreSQL)', () => {
  let dataDir: string;
  let database: TestDatabase;
  /** The database's address without the password, as a message shows it. */
  let redacted: string;
  let password: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-database-'));
    database = await createTestDatabase();
    const url = new URL(database.url);
    password = decodeURIComponent(url.password);
    url.password = '***';
    redacted = url.href;
  });
  afterAll(async () => {
    await clearKeychainOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
    await database.drop();
  });

  it('configure lead → retrieve lead put the records into PostgreSQL: records list --database and a direct query agree, the data directory has none', async () => {
    const tag = randomUUID();
    const messages = webFormMessages(3, tag);
    const user = await addUser(`cli-database-${tag.slice(0, 8)}@example.test`);
    await writeToMaildir(user.email, messages.map((m) => m.raw));
    const served = await servedMessages(user);

    const configured = await runCli(
      ['configure', 'lead', '--host', testbed().host, '--port', String(testbed().dovecot.ports.imap), '--security', 'starttls', '--user', user.email,
        '--password-stdin', '--json', '--data-dir', dataDir, '--database', database.url],
      { stdin: `${user.password}\n` },
    );
    expect(configured.code).toBe(0);
    // A password on the command line is the user's choice, said once with the safer way.
    expect(configured.stderr.match(/Warning: the password in --database can be read by other users/g)).toHaveLength(1);
    expect(configured.stderr).toContain('MAIL_SETTINGS_DATABASE_URL');
    expect(configured.stdout + configured.stderr).not.toContain(password);

    const retrieved = await runCli(['retrieve', 'lead', '--json', '--data-dir', dataDir, '--database', database.url]);
    expect(retrieved.code).toBe(0);
    expect(lastJsonLine(retrieved.stdout)).toMatchObject({ ok: true, retrieved: messages.length });
    expect(retrieved.stdout + retrieved.stderr).not.toContain(password);
    expect(await servedMessages(user)).toEqual([]);

    const listed = await runCli(['records', 'list', '--inbox', 'lead', '--data-dir', dataDir, '--database', database.url]);
    expect(listed.code).toBe(0);
    const records = JSON.parse(listed.stdout) as ListedRecord[];
    expect(new Set(records.map((r) => r.rawSha256))).toEqual(new Set(served.map((m) => m.sha256)));
    expect(records.every((r) => r.inbox === 'lead')).toBe(true);

    const rows = await withPostgresClient(database.url, (client) =>
      client.query<{ message_id: string; raw_sha256: string }>('SELECT message_id, raw_sha256 FROM inbox_messages WHERE inbox = $1 ORDER BY message_id', ['lead']),
    );
    expect(rows.rows.map((row) => row.message_id)).toEqual(messages.map((m) => m.messageId).sort());
    expect(new Set(rows.rows.map((row) => row.raw_sha256))).toEqual(new Set(served.map((m) => m.sha256)));

    // The data directory's own records database got none of them.
    const local = await runCli(['records', 'list', '--inbox', 'lead', '--data-dir', dataDir]);
    expect(local.code).toBe(0);
    expect(JSON.parse(local.stdout)).toEqual([]);
  });

  it('a wrong password: DATABASE_AUTH_FAILED with its fix, exit 1, no stack trace, and the password nowhere in the output', async () => {
    const wrong = new URL(database.url);
    wrong.password = 'wrong-Pa55word';
    for (const args of [['records', 'list', '--inbox', 'lead'], ['retrieve', 'lead']]) {
      const result = await runCli([...args, '--json', '--data-dir', dataDir, '--database', wrong.href]);
      expect(result.code).toBe(1);
      expect(lastJsonLine(result.stdout)).toEqual({
        ok: false,
        error: { code: 'DATABASE_AUTH_FAILED', message: `PostgreSQL refused the user name or password in the database address ${wrong.href.replace('wrong-Pa55word', '***')}.`, fix: expect.stringContaining('Correct the user name and password') },
      });
      expect(result.stdout + result.stderr).not.toContain('wrong-Pa55word');
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
    const text = await runCli(['records', 'list', '--inbox', 'lead', '--data-dir', dataDir, '--database', wrong.href]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('PostgreSQL refused the user name or password');
    expect(text.stderr).not.toContain('wrong-Pa55word');
  });

  it('a bad address: DATABASE_URL_INVALID with the form to write it in, exit 1', async () => {
    const result = await runCli(['records', 'list', '--inbox', 'lead', '--json', '--data-dir', dataDir, '--database', 'mysql://crm:My5ql-pa55@db.example.com/crm']);
    expect(result.code).toBe(1);
    expect(lastJsonLine(result.stdout)).toMatchObject({ ok: false, error: { code: 'DATABASE_URL_INVALID', fix: expect.stringContaining('postgres://USER:PASSWORD@HOST:5432/DATABASE') } });
    expect(result.stdout).not.toContain('My5ql-pa55');
  });

  it('status --json says which records database is used and whether it answers', async () => {
    const shared = await runCli(['status', '--json', '--data-dir', dataDir, '--database', database.url]);
    expect(shared.code).toBe(0);
    expect(JSON.parse(shared.stdout)).toMatchObject({ recordsDatabase: { kind: 'postgres', url: redacted, source: 'commandLine', answers: true } });
    expect(shared.stdout).not.toContain(password);

    const builtIn = await runCli(['status', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(builtIn.stdout)).toMatchObject({ recordsDatabase: { kind: 'builtIn', file: join(dataDir, 'records.sqlite'), answers: true } });

    const wrong = new URL(database.url);
    wrong.password = 'wrong-Pa55word';
    const refused = await runCli(['status', '--data-dir', dataDir], { env: { ...process.env, MAIL_SETTINGS_DATABASE_URL: wrong.href } });
    expect(refused.code).toBe(0);
    expect(refused.stdout).toContain(`Records database: PostgreSQL, ${redacted} (from MAIL_SETTINGS_DATABASE_URL): does not answer. PostgreSQL refused the user name or password`);
    expect(refused.stdout + refused.stderr).not.toContain('wrong-Pa55word');
  });
});
