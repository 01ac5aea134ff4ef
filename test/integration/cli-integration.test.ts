import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { createAdminWithCli } from '../support/cli-admin';
import { runCli, type CliResult } from '../support/run-cli';
import { addUser, testbed } from '../testbed/client';

/** The last line of --json output. */
function json(result: CliResult): Record<string, unknown> {
  return JSON.parse(result.lines.at(-1) ?? 'null') as Record<string, unknown>;
}

/** Every file under `dir`, read whole: settings, records database, logs. */
async function everyFile(dir: string): Promise<Array<{ path: string; bytes: Buffer }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(entries.filter((entry) => entry.isFile()).map(async (entry) => ({ path: join(entry.parentPath, entry.name), bytes: await readFile(join(entry.parentPath, entry.name)) })));
}

describe('mail-settings integration and alias (the built CLI, Dovecot)', () => {
  const dataDirs: string[] = [];
  const newDataDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-integration-'));
    dataDirs.push(dir);
    return dir;
  };
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await newDataDir();
  });
  afterAll(async () => {
    for (const dir of dataDirs) {
      await clearKeychainOf(dir);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('add → show → change-password → test → alias add → delete refused → alias delete → delete, and no password in any file', async () => {
    const user = await addUser(`cli-integration-${randomUUID().slice(0, 8)}@example.test`);
    const wrongPassword = `wrong-${randomUUID()}`;
    const cli = (args: readonly string[], stdin?: string) => runCli([...args, '--json', '--data-dir', dataDir], stdin === undefined ? {} : { stdin });

    const added = await cli(
      ['integration', 'add', '--mailbox', user.email, '--host', testbed().host, '--port', String(testbed().dovecot.ports.imaps), '--name', 'Web leads', '--description', 'The web form', '--password-stdin'],
      `${wrongPassword}\n`,
    );
    expect(added.code).toBe(0);
    const integration = json(added)['integration'] as { id: string };
    expect(json(added)).toMatchObject({ ok: true, integration: { kind: 'integration', configurationName: 'Web leads', mailbox: user.email, hasPassword: true, settings: { port: testbed().dovecot.ports.imaps, secure: true } } });
    const id = integration.id;

    const shown = await cli(['integration', 'show', id]);
    expect(shown.code).toBe(0);
    expect(json(shown)).toMatchObject({ ok: true, integration: { id, hasPassword: true }, aliases: [{ address: user.email, isDefault: true }] });
    expect(shown.stdout).not.toContain(wrongPassword);

    const refused = await cli(['integration', 'test', id]);
    expect(refused.code).toBe(1);
    expect(json(refused)).toMatchObject({ ok: false, error: { code: 'IMAP_AUTH_FAILED', message: 'The mail server did not accept the user name or password.' } });

    const mismatch = await cli(['integration', 'change-password', id, '--password-stdin'], `${user.password}\n${user.password}x\n`);
    expect(mismatch.code).toBe(1);
    expect(json(mismatch)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fieldErrors: { confirmPassword: 'The passwords do not match.' } } });
    const changed = await cli(['integration', 'change-password', id, '--password-stdin'], `${user.password}\n${user.password}\n`);
    expect(changed.code).toBe(0);
    expect(json(changed)).toMatchObject({ ok: true, integration: { id, hasPassword: true, status: null } });

    const tested = await cli(['integration', 'test', id]);
    expect(tested.code).toBe(0);
    expect(json(tested)).toEqual({ ok: true, message: 'We were able to connect to your mailbox.' });

    const alias = await cli(['alias', 'add', '--address', `sales+web@example.test`, '--credential', id, '--target', 'lead', '--activity-type', 'Web Lead', '--owner', 'Ann']);
    expect(alias.code).toBe(0);
    const aliasId = (json(alias)['alias'] as { id: string }).id;
    expect(json(alias)).toMatchObject({ ok: true, alias: { address: 'sales+web@example.test', credentialId: id, isDefault: false, target: { kind: 'lead', activityType: 'Web Lead', owner: 'Ann' } } });

    const inUse = await cli(['integration', 'delete', id]);
    expect(inUse.code).toBe(1);
    expect(json(inUse)).toMatchObject({ ok: false, error: { code: 'INTEGRATION_IN_USE', message: 'sales+web@example.test uses this mailbox: delete that alias first.' } });

    expect((await cli(['alias', 'delete', aliasId])).code).toBe(0);
    const listedAliases = await cli(['alias', 'list', '--credential', id]);
    expect(json(listedAliases)).toMatchObject({ ok: true, aliases: [{ address: user.email, isDefault: true }] });

    const deleted = await cli(['integration', 'delete', id]);
    expect(deleted.code).toBe(0);
    expect(json(await cli(['integration', 'list']))).toEqual({ ok: true, integrations: [] });

    const files = await everyFile(dataDir);
    // The scan covers the settings file and the records database at least.
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining([join(dataDir, 'settings.json'), expect.stringMatching(/records/)]));
    for (const file of files) {
      expect(file.bytes.includes(user.password), file.path).toBe(false);
      expect(file.bytes.includes(wrongPassword), file.path).toBe(false);
    }
  });

  it('once an administrator exists, changes need an admin session', async () => {
    const dir = await newDataDir();
    const cli = (args: readonly string[], stdin?: string) => runCli([...args, '--json', '--data-dir', dir], stdin === undefined ? {} : { stdin });
    await createAdminWithCli(cli);
    expect((await cli(['admin', 'sign-out'])).code).toBe(0);
    const add = await cli(['integration', 'add', '--mailbox', 'gate@example.test', '--host', testbed().host, '--name', 'Gate', '--description', 'Admin gate', '--password-stdin'], 'secret-gate\n');
    expect(add.code).toBe(1);
    expect(json(add)).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
    // Reading stays open.
    expect(json(await cli(['integration', 'list']))).toEqual({ ok: true, integrations: [] });
  });

  it('takes no password on the command line', async () => {
    const result = await runCli(['integration', 'add', '--mailbox', 'x@example.test', '--password', 'on-the-command-line', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does not take a password on the command line');
  });
});
