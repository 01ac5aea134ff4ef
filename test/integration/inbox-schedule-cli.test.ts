import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminWithCli } from '../support/cli-admin';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { servedMessages } from '../support/retrieval-fixtures';
import { startUiCommand } from '../../e2e/harness/ui-command';
import { runCli } from '../support/run-cli';
import { addUser, testbed, writeToMaildir } from '../testbed/client';

/**
 * The command line's side of issue 13's running inbox: `configure --check-every --keep-on-server`, kept when
 * the server is configured again, and `reset-counter` (Reset Mailbox Counter) with a `retrieve` after it.
 */

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-schedule-'));
});
afterAll(async () => {
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

const cli = (args: readonly string[], stdin = '') => runCli([...args, '--json', '--data-dir', dataDir], { stdin });
const lastJson = (lines: readonly string[]): unknown => JSON.parse(lines.at(-1) ?? 'null');
/** The last JSON line of a run that must have printed one, or the run's stderr as the failure. */
async function ran(args: readonly string[]): Promise<unknown> {
  const result = await cli(args);
  if (result.lines.length === 0) throw new Error(`mail-settings ${args.join(' ')} printed nothing (exit ${result.code}): ${result.stderr}`);
  return lastJson(result.lines);
}

describe('mail-settings configure --keep-on-server, reset-counter', () => {
  it('leaves messages on the server, keeps the choice on a new configure, and re-reads everything after reset-counter without doubling', async () => {
    const user = await addUser(`cli-keep-${randomUUID().slice(0, 8)}@example.test`);
    await writeToMaildir(user.email, webFormMessages(2, randomUUID()).map((message) => message.raw));
    const base = ['configure', 'lead', '--host', testbed().host, '--port', String(testbed().dovecot.ports.imap), '--security', 'starttls', '--user', user.email];

    const refused = await cli([...base, '--check-every', '0']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toContain('Check for new mail every (minutes): Check at most every minute: enter 1 or more.');

    const configured = await cli([...base, '--password-stdin', '--check-every', '15', '--keep-on-server', 'on'], `${user.password}\n`);
    expect(configured.code).toBe(0);
    expect(lastJson(configured.lines)).toMatchObject({ ok: true, inbox: { settings: { checkEveryMinutes: 15, keepOnServer: true } } });
    // Configured again without the options: how often and how stay as they were.
    const again = await cli(base);
    expect(lastJson(again.lines)).toMatchObject({ ok: true, inbox: { settings: { checkEveryMinutes: 15, keepOnServer: true } } });

    expect(await ran(['retrieve', 'lead'])).toMatchObject({ ok: true, retrieved: 2, expunged: 0 });
    expect(await ran(['retrieve', 'lead'])).toMatchObject({ ok: true, retrieved: 0, alreadyStored: 0 });
    // Reset mailbox counter is for administrators (issue 14): the first one is created, which signs it in.
    expect(await cli(['reset-counter', 'lead'])).toMatchObject({ code: 1, stdout: expect.stringContaining('"code":"ADMIN_REQUIRED"') });
    await createAdminWithCli(cli);
    const reset = await cli(['reset-counter', 'lead']);
    expect(reset.code).toBe(0);
    expect(lastJson(reset.lines)).toEqual({ ok: true, hadCounter: true });
    expect(await ran(['retrieve', 'lead'])).toMatchObject({ ok: true, retrieved: 0, alreadyStored: 2, expunged: 0 });
    expect(await servedMessages(user, testbed().dovecot)).toHaveLength(2);

    const wrong = await cli(['reset-counter', 'everything']);
    expect(wrong.code).not.toBe(0);
  });
});

describe('mail-settings ui runs the inboxes as the desktop app does', () => {
  it('makes a record of mail that arrives while only the browser window is served (IDLE), within 10 s', async () => {
    const user = await addUser(`cli-ui-idle-${randomUUID().slice(0, 8)}@example.test`);
    const uiDataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-ui-idle-'));
    const configured = await runCli(
      ['configure', 'lead', '--host', testbed().host, '--port', String(testbed().dovecot.ports.imap), '--security', 'starttls', '--user', user.email, '--password-stdin', '--json', '--data-dir', uiDataDir],
      { stdin: `${user.password}\n` },
    );
    expect(configured.code).toBe(0);
    const ui = await startUiCommand(['--no-open', '--json', '--data-dir', uiDataDir]);
    try {
      // The watch needs a moment to be in IDLE; mail that arrives before it is still taken by the next
      // scheduled run, but that is minutes away: give the watch its second, then deliver.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await writeToMaildir(user.email, webFormMessages(1, randomUUID()).map((message) => message.raw));
      const deliveredAt = Date.now();
      let records: unknown[] = [];
      while (records.length === 0 && Date.now() - deliveredAt < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const listed = await runCli(['records', 'list', '--inbox', 'lead', '--json', '--data-dir', uiDataDir]);
        records = listed.code === 0 ? (JSON.parse(listed.stdout) as unknown[]) : [];
      }
      expect(records).toHaveLength(1);
      expect(await servedMessages(user, testbed().dovecot)).toHaveLength(0);
    } finally {
      expect((await ui.stop()).code).toBe(0);
      await clearKeychainOf(uiDataDir);
      await rm(uiDataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
