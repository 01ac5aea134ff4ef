import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import type { MailboxLocation } from '../../src/main/records/inbox-records';
import { openPostgresRecordsStore } from '../../src/main/records/postgres/postgres-records-store';
import { openRecordsStore } from '../../src/main/records/records-store';
import { createAdminWithCli } from '../support/cli-admin';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { createTestDatabase, type TestDatabase } from '../support/postgres-database';
import { runCli, type CliResult } from '../support/run-cli';

/**
 * `mail-settings database migrate --to postgres://…` (issue 16) through the built CLI: an installation's
 * records copied into the test bed's PostgreSQL, what a wrong address or password says, and the
 * administrator gate.
 */

const lead: MailboxLocation = { inbox: 'lead', accountKey: 'imap.example.test/sales@example.test', mailbox: 'INBOX', uidValidity: 7 };
const wrongPassword = 'Wr0ng-pa55word-for-the-test';

let dataDir: string;
let database: TestDatabase;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-migrate-'));
  database = await createTestDatabase();
  const store = await openRecordsStore(dataDir);
  try {
    const messages = await Promise.all(
      webFormMessages(10, 'cli-migrate').map(async ({ raw }, index) => ({
        uid: index + 1,
        raw,
        rawSha256: createHash('sha256').update(raw).digest('hex'),
        storeIfNew: true,
        parsed: await parseInbound(raw, 'lead'),
      })),
    );
    await store.inbox.storeBatch(lead, messages, { leadActivityType: 'Web Lead' }, { raiseCounter: true });
  } finally {
    await store.close();
  }
});
afterAll(async () => {
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
  await database.drop();
});

const cli = (args: readonly string[], stdin = '') => runCli([...args, '--json', '--data-dir', dataDir], { stdin });
const migrate = (to: string) => cli(['database', 'migrate', '--to', to]);
const json = (result: CliResult): Record<string, unknown> => JSON.parse(result.lines.at(-1) ?? 'null') as Record<string, unknown>;

function withPassword(url: string, password: string): string {
  const changed = new URL(url);
  changed.password = password;
  return changed.href;
}

describe('mail-settings database migrate', () => {
  it('refuses an address that is not one, or a wrong password, with the fix and without the password', async () => {
    const notPostgres = await migrate(`mysql://crm:${wrongPassword}@127.0.0.1/records`);
    expect(notPostgres.code).toBe(1);
    expect(json(notPostgres)).toMatchObject({ ok: false, error: { code: 'DATABASE_URL_INVALID', fix: expect.stringContaining('postgres://') } });

    const refused = await migrate(withPassword(database.url, wrongPassword));
    expect(refused.code).toBe(1);
    expect(json(refused)).toMatchObject({ ok: false, error: { code: 'DATABASE_AUTH_FAILED', message: expect.stringContaining('PostgreSQL refused the user name or password'), fix: expect.stringContaining('pg_hba.conf') } });

    const asText = await runCli(['database', 'migrate', '--to', withPassword(database.url, wrongPassword), '--data-dir', dataDir]);
    expect(asText.code).toBe(1);
    expect(asText.stderr).toContain('PostgreSQL refused the user name or password');
    expect(asText.stderr).not.toMatch(/\n\s+at /);
    for (const result of [notPostgres, refused, asText]) expect(`${result.stdout}${result.stderr}`).not.toContain(wrongPassword);

    expect(json(await cli(['database', 'migrate']))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('copies the records with progress and a summary, says the installation keeps its own records, and copies nothing twice', async () => {
    const first = await runCli(['database', 'migrate', '--to', database.url, '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('inbox messages: 10 copied, 0 already there');
    expect(first.stdout).toContain('keeps using its own records until it is pointed at the shared database');

    const shared = await openPostgresRecordsStore(database.url);
    try {
      expect((await shared.inbox.list({ inbox: 'lead' })).map((record) => record.messageId).sort()).toEqual(webFormMessages(10, 'cli-migrate').map((m) => m.messageId).sort());
    } finally {
      await shared.close();
    }

    const second = await migrate(database.url);
    expect(second.code).toBe(0);
    expect(second.lines.slice(0, -1).map((line) => Object.keys(JSON.parse(line) as object))).toContainEqual(['progress']);
    expect(json(second)).toMatchObject({ ok: true, copied: 0, tables: { inbox_messages: { copied: 0, alreadyThere: 10 } }, note: expect.stringContaining('own records') });
  });

  it('is for administrators once one exists', async () => {
    await createAdminWithCli(cli);
    expect((await migrate(database.url)).code).toBe(0);
    expect((await cli(['admin', 'sign-out'])).code).toBe(0);
    const refused = await migrate(database.url);
    expect(refused.code).toBe(1);
    expect(json(refused)).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
  });
});
