import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webFormMessages } from '../test/support/inbox-messages';
import { addUser, readMailbox, testbed, writeToMaildir } from '../test/testbed/client';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * A message larger than an inbox imports (50 MB) is left on the server and listed under the records as
 * "Not imported", with its reason and what to do, while the messages around it are imported (issue 13).
 */

const windows = useMailSettingsWindows();

/** A message of about 53 MB: a scanned document nobody should send to a web-form mailbox. */
function oversizedMessage(): Buffer {
  const line = `${'QUJD'.repeat(19)}\r\n`;
  const head = `Message-ID: <oversized-${randomUUID()}@testbed.localhost>\r\nFrom: Scanner <scanner@example.test>\r\nSubject: scanned archive\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), Buffer.from(line.repeat(Math.ceil(53_000_000 / line.length)))]);
}

describe('Lead Inbox: a message too large to import', () => {
  it('imports the others, leaves it on the server and lists it as not imported with what to do', async () => {
    const user = await addUser(`oversized-${randomUUID().slice(0, 8)}@example.test`);
    const [first, second] = webFormMessages(2, `around-${randomUUID().slice(0, 8)}`);
    await writeToMaildir(user.email, [first?.raw ?? Buffer.alloc(0), oversizedMessage(), second?.raw ?? Buffer.alloc(0)]);
    const current = await windows.open('lead-inbox-not-imported');
    const inbox = current.app.leadInbox;

    await inbox.openSettings();
    await inbox.fill({ serverName: testbed().host, security: 'SSL/TLS', port: String(testbed().dovecot.ports.imaps), userName: user.email, password: user.password });
    await inbox.save();
    await inbox.waitForSaved();
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: expect.arrayContaining(['2 records created.']) });
    await inbox.cancel();

    expect(await inbox.waitForRecords(2)).toHaveLength(2);
    const notImported = await inbox.waitForNotImported();
    expect(notImported.title).toBe('Not imported: 1 message');
    expect(notImported.advice).toMatch(/stay in the mailbox on the server and do not hold up the other messages/);
    expect(notImported.messages).toEqual([expect.stringMatching(/^Too large to import \(5\d\.\d MB\)\. In INBOX since /)]);
    expect(await readMailbox(user)).toHaveLength(1);
    await publishScreenshot(await current.app.screenshot('not-imported-list'), 'lead-inbox-not-imported.png');
  });
});
