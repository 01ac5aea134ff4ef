import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withInbox } from '../test/support/retrieval-fixtures';
import { webFormMessages } from '../test/support/inbox-messages';
import { addUser, readMailbox, testbed, writeToMaildir } from '../test/testbed/client';
import { useMailSettingsWindows } from './harness/windows';

/**
 * The Lead Inbox's Folder field (issue 13), in Chromium against the test bed's Dovecot: INBOX by default,
 * Test Connection says when the folder typed does not exist, and Check now empties the folder named.
 */

const windows = useMailSettingsWindows();

describe('Lead Inbox: the Folder field', () => {
  it('starts at INBOX, is checked by Test Connection, and Check now empties the folder a rule files the mail in', async () => {
    const user = await addUser(`folder-${randomUUID().slice(0, 8)}@example.test`);
    await writeToMaildir(user.email, webFormMessages(1, `inbox-${randomUUID().slice(0, 8)}`).map((m) => m.raw));
    const current = await windows.open('lead-inbox-folder');
    const inbox = current.app.leadInbox;

    await inbox.openSettings();
    expect(await inbox.folder()).toBe('INBOX');
    await inbox.fill({ serverName: testbed().host, security: 'SSL/TLS', port: String(testbed().dovecot.ports.imaps), userName: user.email, password: user.password });

    await inbox.setFolder('');
    expect(await inbox.waitForFieldError('folder')).toBe('Enter the folder to read, usually INBOX.');
    await inbox.setFolder('Web Leads');
    await inbox.testConnection();
    const missing = await inbox.waitForConnectionResult();
    expect(missing).toMatchObject({ ok: false, message: 'The sign-in worked, but this mailbox has no folder “Web Leads”.' });
    expect(missing.ok ? '' : (missing.fix ?? '')).toMatch(/this mailbox has: INBOX/);

    await withInbox(user, testbed().dovecot, async (client) => {
      await client.mailboxCreate('Web Leads');
      for (const message of webFormMessages(2, `filed-${randomUUID().slice(0, 8)}`)) await client.append('Web Leads', message.raw);
    });
    await inbox.testConnection();
    expect(await inbox.waitForConnectionResult()).toEqual({ ok: true, message: 'We were able to connect to your mailbox.' });

    await inbox.save();
    await inbox.waitForSaved();
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['2 records created.', '2 messages removed from the server.'] });
    // INBOX is not the inbox's folder: its message stays.
    expect(await readMailbox(user)).toHaveLength(1);
  });
});
