import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { withInbox } from '../support/retrieval-fixtures';
import { runCli } from '../support/run-cli';
import { addUser, testbed } from '../testbed/client';

/**
 * The built CLI with issue 13's settings and lists: `configure --folder`, `retrieve --json` counting what
 * it left on the server, and `records quarantine` listing it with its reason.
 */

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-provider-'));
});
afterAll(async () => {
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

/** A message of about 53 MB, over the 50 MB an inbox imports. */
function oversizedMessage(): Buffer {
  const line = `${'QUJD'.repeat(19)}\r\n`;
  const head = `Message-ID: <oversized-${randomUUID()}@testbed.localhost>\r\nSubject: scanned archive\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), Buffer.from(line.repeat(Math.ceil(53_000_000 / line.length)))]);
}

describe('mail-settings configure --folder, retrieve and records quarantine (the built CLI, Dovecot)', () => {
  it('empties the folder named, and lists the message it could not import with its reason', async () => {
    const user = await addUser(`cli-folder-${randomUUID().slice(0, 8)}@example.test`);
    await withInbox(user, testbed().dovecot, async (client) => {
      await client.mailboxCreate('Leads');
      for (const message of webFormMessages(2, randomUUID())) await client.append('Leads', message.raw);
      await client.append('Leads', oversizedMessage());
    });

    const configured = await runCli(
      ['configure', 'lead', '--host', testbed().host, '--port', String(testbed().dovecot.ports.imap), '--security', 'starttls', '--user', user.email,
        '--password-stdin', '--folder', 'Leads', '--json', '--data-dir', dataDir],
      { stdin: `${user.password}\n` },
    );
    expect(configured.code).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ ok: true, inbox: { settings: { folder: 'Leads' } } });

    const retrieved = await runCli(['retrieve', 'lead', '--json', '--data-dir', dataDir]);
    expect(retrieved.code).toBe(0);
    const summary = JSON.parse(retrieved.stdout.trim().split('\n').at(-1) ?? 'null') as { warnings: Array<{ code: string; message: string }> };
    expect(summary).toMatchObject({ ok: true, retrieved: 2, notImported: 1 });
    expect(summary.warnings).toEqual([expect.objectContaining({ code: 'MESSAGES_QUARANTINED', message: expect.stringMatching(/^Not imported: 1 message/) })]);

    const listed = await runCli(['records', 'quarantine', '--inbox', 'lead', '--json', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ inbox: 'lead', mailbox: 'Leads', reason: 'tooLarge', size: expect.any(Number) as number, attempts: 1 })]);
    const left = await withInbox(user, testbed().dovecot, (client) => client.status('Leads', { messages: true }));
    expect(left).toMatchObject({ messages: 1 });
  });
});
