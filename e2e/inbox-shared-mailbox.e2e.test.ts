import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webFormMessages } from '../test/support/inbox-messages';
import { servedMessages } from '../test/support/retrieval-fixtures';
import { addUser, testbed, writeToMaildir } from '../test/testbed/client';
import { grantFullAccess } from '../test/testbed/full-access';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * An Office 365 shared mailbox in the Lead Inbox's dialog, in Chromium through the real services: "This is
 * a shared mailbox" with its sentence, the member's sign-in in the popup, and Test Connection and Check now
 * against the test bed's shared-mailbox Dovecot (XOAUTH2 only, as Office 365), which lets a member's
 * token open the shared address once the member has Full Access.
 */

const windows = useMailSettingsWindows();

describe('Lead Inbox: an Office 365 shared mailbox', () => {
  it('signs a member in, says when the member lacks Full Access, and empties the shared mailbox once granted', async () => {
    const tag = randomUUID().slice(0, 8);
    const [shared, member] = await Promise.all([addUser(`sales-${tag}@example.test`), addUser(`member-${tag}@example.test`)]);
    await writeToMaildir(shared.email, webFormMessages(2, `e2e-shared-${tag}`).map((message) => message.raw));
    const { app } = await windows.open('lead-inbox-shared-mailbox');
    const inbox = app.leadInbox;
    await inbox.openSettings();

    // Offered with Office 365 only: a password or a Google token opens no other mailbox.
    expect(await inbox.sharedMailboxOption()).toBeNull();
    await inbox.chooseModernAuth('Google');
    expect(await inbox.sharedMailboxOption()).toBeNull();
    await inbox.chooseModernAuth('Office 365');
    expect(await inbox.sharedMailboxOption()).toEqual({
      checked: false,
      explanation:
        'Shared mailboxes such as sales@ or support@ have no password of their own. Sign in as a member with Full Access to the shared mailbox: the inbox then reads the shared address with your sign-in.',
    });
    expect(await inbox.sharedMailboxAddress()).toBeNull();

    await inbox.fill({ serverName: testbed().host, port: String(testbed().dovecotSharedMailbox.ports.imaps) });
    await inbox.chooseSharedMailbox('sales');
    expect(await inbox.fieldError('sharedMailbox')).toBe('This is not an email address. It should look like sales@yourcompany.com.');
    await inbox.chooseSharedMailbox(shared.email);
    expect(await inbox.fieldError('sharedMailbox')).toBeNull();

    // The member signs in, and becomes the Username.
    await inbox.clickSignIn();
    const popup = await app.waitForSignInPopup();
    await app.completeIdpSignIn(popup, member);
    await app.waitForPageClosed(popup);
    await inbox.waitForSignedIn(member.email);
    expect((await inbox.values()).userName).toBe(member.email);
    await inbox.save();
    await inbox.waitForSaved();
    expect(await inbox.sharedMailboxAddress()).toBe(shared.email);

    // Office 365 refuses a member without Full Access as it refuses a dead token: the dialog says which it is.
    await inbox.testConnection();
    expect(await inbox.waitForConnectionResult()).toMatchObject({
      ok: false,
      message: `${member.email} has no access to ${shared.email}: ask your Office 365 admin to grant Full Access.`,
    });

    await grantFullAccess(shared.email, member.email);
    await inbox.testConnection();
    expect(await inbox.waitForConnectionResult()).toEqual({ ok: true, message: 'We were able to connect to your mailbox.' });
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['2 records created.', '2 messages removed from the server.'] });
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'lead-inbox-shared-mailbox.png');
    expect(await servedMessages(shared, testbed().dovecotSharedMailbox)).toEqual([]);

    await inbox.cancel();
    expect(await inbox.moduleSummary()).toContain(`Empties ${shared.email} (a shared mailbox, read as ${member.email}) on ${testbed().host}`);
  });
});
