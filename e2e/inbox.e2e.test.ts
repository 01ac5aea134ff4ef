import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webFormMessages } from '../test/support/inbox-messages';
import { addUser, readMailbox, testbed, writeToMaildir, type TestUser } from '../test/testbed/client';
import type { MailSettingsSession } from './harness/bed';
import type { InboxDialog, InboxValues } from './harness/inbox-dialog';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * Lead Inbox and Service Desk Inbox (seeds 000 and 002), in Chromium through the real services against
 * the test bed's Dovecot: the dialogs opened from the modules' gear wheels, Test Connection, Check now
 * emptying the mailbox into records, the records view, the Type manager and the warnings.
 */

const windows = useMailSettingsWindows();
const openWindow = windows.open;

const passwordMethod = 'Normal Password (basic authentication)';

/** A mailbox of its own on the test bed's Dovecot, for one test. */
function newMailbox(kind: string): Promise<TestUser> {
  return addUser(`${kind}-${randomUUID().slice(0, 8)}@example.test`);
}

/** The mailbox on Dovecot's IMAPS port (SSL/TLS), as a user would fill it in. */
function dovecotValues(user: TestUser, patch: Partial<InboxValues> = {}): Partial<InboxValues> {
  return { serverName: testbed().host, security: 'SSL/TLS', port: String(testbed().dovecot.ports.imaps), userName: user.email, ...patch };
}

/** Opens the inbox's dialog, fills it with the mailbox and its password, and saves. */
async function configure(inbox: InboxDialog, user: TestUser): Promise<void> {
  await inbox.openSettings();
  await inbox.fill({ ...dovecotValues(user), password: user.password });
  await inbox.save();
  await inbox.waitForSaved();
}

describe('Lead Inbox: the dialog', () => {
  it('opens from the module’s gear wheel with seed 000’s sections, the important note and SSL/TLS on 993', async () => {
    const { app } = await openWindow('lead-inbox-first-start');
    await app.leadInbox.openSettings();
    // Reading starts at the top: no field is entered (and so none marked missing) before the user chooses.
    expect(await app.leadInbox.focusIsOn()).toBe('dialog title');

    expect(await app.isShown('When a web submission is processed, an Activity note will be generated using the Type selected below:')).toBe(true);
    expect(await app.leadInbox.values()).toEqual({ serverName: '', security: 'SSL/TLS', port: '993', userName: '', authMethod: passwordMethod, recordType: 'Web Lead' });
    const [important] = await app.leadInbox.warnings();
    expect(important).toMatch(/^Important: Retrieval empties the mailbox/);
    expect(important).toContain('sales@yourcompany.com or support@yourcompany.com, never your personal one');
    expect(important).toContain('only one installation');
    // Seed 000's three methods, each of which signs an inbox in.
    expect(await app.leadInbox.authMethodOptions()).toEqual([
      { label: passwordMethod, enabled: true },
      { label: 'Modern Authentication (OAuth 2.0) - Office 365', enabled: true },
      { label: 'Modern Authentication (OAuth 2.0) - Google', enabled: true },
    ]);
    await app.leadInbox.cancel();
    expect(await app.leadInbox.focusIsOn()).toBe('gear wheel');
  });

  it('moves the port with Use SSL: 143 with STARTTLS, 993 with SSL/TLS, until a port is typed', async () => {
    const { app } = await openWindow('lead-inbox-port');
    await app.leadInbox.openSettings();
    await app.leadInbox.chooseSecurity('STARTTLS');
    expect((await app.leadInbox.values()).port).toBe('143');
    await app.leadInbox.chooseSecurity('SSL/TLS');
    expect((await app.leadInbox.values()).port).toBe('993');
    await app.leadInbox.fill({ port: '10993' });
    await app.leadInbox.chooseSecurity('STARTTLS');
    expect((await app.leadInbox.values()).port).toBe('10993');
  });

  it('offers “Allow sending my password without encryption” with None only, unticked', async () => {
    const { app } = await openWindow('lead-inbox-security-none');
    await app.leadInbox.openSettings();
    expect(await app.leadInbox.insecureAuthAllowance()).toBeNull();
    await app.leadInbox.chooseSecurity('None');
    expect(await app.leadInbox.insecureAuthAllowance()).toMatchObject({ checked: false });
    await app.screenshot('lead-inbox-security-none');
    await app.leadInbox.chooseSecurity('STARTTLS');
    expect(await app.leadInbox.insecureAuthAllowance()).toBeNull();
  });

  it('fits the window at its minimum width (560 px) and at 320 px without sideways scrolling', async () => {
    const { app } = await openWindow('lead-inbox-narrow');
    await app.leadInbox.openSettings();
    for (const width of [560, 320]) {
      await app.setWindowWidth(width);
      await app.screenshot(`lead-inbox-width-${width}`);
      const dialog = await app.leadInbox.dialogWidth();
      expect(dialog.content, `dialog at ${width} px`).toBeLessThanOrEqual(dialog.room);
      const page = await app.pageWidth();
      expect(page.content, `page at ${width} px`).toBeLessThanOrEqual(page.window);
    }
  });
});

describe('Lead Inbox: Test Connection, Check now and the records', () => {
  it('configures the Lead Inbox with a password, checks it, and turns 5 web-form messages into Web Lead records; the server mailbox is empty', async () => {
    const user = await newMailbox('leads');
    const messages = webFormMessages(5, `e2e-${randomUUID().slice(0, 8)}`);
    await writeToMaildir(user.email, messages.map((message) => message.raw));
    const current = await openWindow('lead-inbox-check-now');
    const inbox = current.app.leadInbox;

    await inbox.openSettings();
    expect(await inbox.isCheckNowEnabled()).toBe(false);
    expect(await inbox.checkNowHint()).toBe('Save first: Check now empties the saved mailbox, and nothing is saved yet.');
    await inbox.fill(dovecotValues(user));
    expect(await inbox.testConnectionHint()).toBe('Enter the password first.');
    await inbox.fill({ password: user.password });
    await inbox.testConnection();
    expect(await inbox.waitForConnectionResult()).toEqual({ ok: true, message: 'We were able to connect to your mailbox.' });
    // Test Connection reads nothing and removes nothing.
    expect(await readMailbox(user)).toHaveLength(5);

    await inbox.save();
    await inbox.waitForSaved();
    expect(await inbox.isCheckNowEnabled()).toBe(true);
    await inbox.checkNow();
    const result = await inbox.waitForCheckResult();
    expect(result).toMatchObject({ ok: true, lines: ['5 records created.', '5 messages removed from the server.'] });
    await publishScreenshot(current.app.screenshots.at(-1) ?? '', 'lead-inbox.png');
    expect(await readMailbox(user)).toEqual([]);

    await inbox.cancel();
    const records = await inbox.waitForRecords(5);
    expect(records).toHaveLength(5);
    await publishScreenshot(current.app.screenshots.at(-1) ?? '', 'lead-inbox-records.png');
    for (const record of records) {
      const n = /^Web lead (\d+) /.exec(record.subject)?.[1];
      expect(n, record.subject).toBeDefined();
      expect(record).toMatchObject({
        kind: 'Web Lead',
        from: 'From Web Form <forms@example.test>',
        fields: { Name: `Person ${n}`, Email: `person${n}@example.test`, Phone: '+33 1 23 45 67 89', Company: 'Example SARL', Message: `Please call me back about offer ${n}.` },
      });
    }
    expect(await inbox.moduleSummary()).toContain('5 records created.');

    const first = messages[0];
    if (first === undefined) throw new Error('no message');
    const subject = records.find((record) => record.subject.startsWith('Web lead 0 '))?.subject ?? '';
    await inbox.openRecord(subject);
    expect(await inbox.recordDetails()).toMatchObject({ Type: 'Web Lead', 'Message-ID': first.messageId, Name: 'Person 0' });
    expect(await inbox.recordViews()).toEqual(['Text', 'Source']);
    expect(await inbox.recordBodyText()).toContain('Message: Please call me back about offer 0.');
    await inbox.showRecordAs('Source');
    expect(await inbox.recordBodyText()).toBe(first.raw.toString('utf8'));
    await inbox.closeRecord();
  });

  it('says what to do when the password is wrong, and when the server name is unknown', async () => {
    const user = await newMailbox('wrong');
    const current = await openWindow('lead-inbox-failures');
    const inbox = current.app.leadInbox;
    await inbox.openSettings();

    await inbox.fill({ ...dovecotValues(user), password: 'not-the-password' });
    await inbox.testConnection();
    const wrong = await inbox.waitForConnectionResult();
    expect(wrong).toMatchObject({ ok: false, message: 'The mail server did not accept the user name or password.' });
    expect(wrong.ok ? '' : (wrong.fix ?? '')).toMatch(/Check the Username \(usually the full email address\) and the Password/);

    await inbox.fill({ serverName: 'no-such-host.invalid', password: user.password });
    await inbox.testConnection();
    const unknown = await inbox.waitForConnectionResult();
    expect(unknown).toMatchObject({ ok: false });
    expect(unknown.ok ? '' : unknown.message).toMatch(/no-such-host\.invalid/);
  });
});

describe('Lead Inbox: Modern Authentication', () => {
  it('signs the inbox in with Office 365 (IMAP scope) and empties the mailbox into Web Lead records over XOAUTH2', async () => {
    const user = await newMailbox('oauth');
    const messages = webFormMessages(3, `e2e-oauth-${randomUUID().slice(0, 8)}`);
    await writeToMaildir(user.email, messages.map((message) => message.raw));
    const current = await openWindow('lead-inbox-modern-auth');
    const { app } = current;
    const inbox = app.leadInbox;
    await inbox.openSettings();

    // Office 365 fills in its IMAP server while the Mail Server is empty; Google then replaces it with its own.
    await inbox.chooseModernAuth('Office 365');
    expect(await inbox.values()).toMatchObject({ serverName: 'outlook.office365.com', security: 'SSL/TLS', port: '993' });
    expect((await inbox.password()).visible).toBe(false);
    await inbox.chooseModernAuth('Google');
    expect((await inbox.values()).serverName).toBe('imap.gmail.com');
    await inbox.chooseModernAuth('Office 365');
    expect((await inbox.values()).serverName).toBe('outlook.office365.com');

    // The test bed's Dovecot that offers XOAUTH2 only: no password could sign in there.
    await inbox.fill({ serverName: '127.0.0.1', port: String(testbed().dovecotXoauth2Only.ports.imaps), userName: user.email });
    expect(await inbox.isTestConnectionEnabled()).toBe(false);
    expect(await inbox.testConnectionHint()).toBe('Sign in first, with the button above.');

    await inbox.clickSignIn();
    const popup = await app.waitForSignInPopup();
    expect(await inbox.waitForWaitingForSignIn()).toContain('sign-in window');
    await app.completeIdpSignIn(popup, user);
    await app.waitForPageClosed(popup);
    expect(await inbox.waitForSignedIn(user.email)).toBe('Last refreshed just now');
    expect(await inbox.values()).toMatchObject({ userName: user.email, authMethod: 'Modern Authentication (OAuth 2.0) - Office 365' });
    expect(await inbox.isTestConnectionEnabled()).toBe(true);

    await inbox.save();
    await inbox.waitForSaved();
    await inbox.testConnection();
    expect(await inbox.waitForConnectionResult()).toEqual({ ok: true, message: 'We were able to connect to your mailbox.' });

    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['3 records created.', '3 messages removed from the server.'] });
    expect(await readMailbox(user)).toEqual([]);
    // Still signed in after the run.
    expect(await inbox.signedInAs()).toBe(`Signed in as ${user.email}`);

    await inbox.cancel();
    const records = await inbox.waitForRecords(3);
    expect(records.map((record) => record.kind)).toEqual(['Web Lead', 'Web Lead', 'Web Lead']);
    for (const record of records) {
      const n = /^Web lead (\d+) /.exec(record.subject)?.[1];
      expect(n, record.subject).toBeDefined();
      expect(record.fields).toMatchObject({ Name: `Person ${n}`, Email: `person${n}@example.test`, Company: 'Example SARL' });
    }
  });
});

describe('Lead Inbox: Check now that fails', () => {
  it('shows the error and its fix when the saved password is refused, and removes nothing', async () => {
    const user = await newMailbox('refused');
    await writeToMaildir(user.email, webFormMessages(2, `e2e-refused-${randomUUID().slice(0, 8)}`).map((message) => message.raw));
    const current = await openWindow('lead-inbox-check-fails');
    const inbox = current.app.leadInbox;
    await inbox.openSettings();
    await inbox.fill({ ...dovecotValues(user), password: 'not-the-password' });
    await inbox.save();
    await inbox.waitForSaved();
    await inbox.checkNow();
    const result = await inbox.waitForCheckResult();
    expect(result).toMatchObject({ ok: false, code: 'IMAP_AUTH_FAILED', message: 'The mail server did not accept the user name or password.' });
    expect(result.ok ? null : result.fix).toMatch(/Check the Username/);
    expect(await readMailbox(user)).toHaveLength(2);
  });
});

describe('Lead Inbox: the Type manager', () => {
  it('adds, renames and deletes an unused type; a type records use is retired, never deleted, and not while the inbox gives it', async () => {
    const user = await newMailbox('types');
    await writeToMaildir(user.email, webFormMessages(1, `e2e-types-${randomUUID().slice(0, 8)}`).map((message) => message.raw));
    const current = await openWindow('lead-inbox-types');
    const inbox = current.app.leadInbox;
    await inbox.openSettings();
    await inbox.openActivityTypes();
    expect((await inbox.activityTypes()).map((type) => type.name)).toEqual(expect.arrayContaining(['Web Lead', 'Service Desk']));

    expect(await inbox.addActivityType('Web Enquiry')).toBeNull();
    expect(await inbox.addActivityType('web enquiry')).toMatch(/There is already a type called “Web Enquiry”/);
    expect(await inbox.addActivityType('Spare')).toBeNull();
    expect(await inbox.retireActionOf('Spare')).toBe('Delete');
    expect(await inbox.retireActivityType('Spare')).toBe('deleted');
    expect((await inbox.activityTypes()).map((type) => type.name)).not.toContain('Spare');

    await inbox.renameActivityType('Web Enquiry', 'Partner Enquiry');
    expect(await inbox.activityTypes()).toContainEqual({ name: 'Partner Enquiry', state: 'Not used yet' });
    await inbox.closeActivityTypes();
    expect(await inbox.recordTypeOptions()).toContain('Partner Enquiry');

    // The inbox gives its records the new type, and one record gets it.
    await inbox.fill({ ...dovecotValues(user), password: user.password, recordType: 'Partner Enquiry' });
    await inbox.save();
    await inbox.waitForSaved();
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['1 record created.', '1 message removed from the server.'] });

    await inbox.openActivityTypes();
    expect(await inbox.activityTypes()).toContainEqual({ name: 'Partner Enquiry', state: 'In use' });
    expect(await inbox.retireActionOf('Partner Enquiry')).toBe('Retire');
    expect(await inbox.retireActivityType('Partner Enquiry')).toEqual({
      message: 'The Lead Inbox gives its records the type “Partner Enquiry”.',
      fix: 'Choose another Type for it and save, then retire this one.',
    });
    await inbox.closeActivityTypes();

    await inbox.chooseRecordType('Web Lead');
    await inbox.save();
    await inbox.waitForSaved();
    await inbox.openActivityTypes();
    expect(await inbox.retireActionOf('Partner Enquiry')).toBe('Retire');
    expect(await inbox.retireActivityType('Partner Enquiry')).toBe('retired');
    expect(await inbox.activityTypes()).toContainEqual({ name: 'Partner Enquiry', state: 'Retired: kept for its records' });
    await inbox.closeActivityTypes();
    expect(await inbox.recordTypeOptions()).not.toContain('Partner Enquiry');

    await inbox.cancel();
    expect((await inbox.waitForRecords(1))[0]).toMatchObject({ kind: 'Partner Enquiry' });
  });
});

describe('Lead Inbox: an HTML message', () => {
  let imageServer: Server;
  let imageRequests = 0;
  let imageUrl = '';

  beforeAll(async () => {
    imageServer = createServer((_request, response) => {
      imageRequests += 1;
      response.writeHead(200, { 'Content-Type': 'image/gif' }).end();
    });
    await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
    imageUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/pixel.gif`;
  });

  afterAll(async () => {
    await new Promise((resolve) => imageServer.close(resolve));
  });

  it('shows the HTML body in a frame without scripts, origin or remote content', async () => {
    const user = await newMailbox('html');
    const html = `<p id="greeting">Hello from the web form</p><img alt="tracker" src="${imageUrl}"><script>parent.document.title = 'scripted';</script>`;
    const raw = [
      'Message-ID: <html-e2e@testbed.localhost>',
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'From: "Web Form" <forms@example.test>',
      'Subject: An HTML enquiry',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      '--alt',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello from the web form',
      '--alt',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '--alt--',
      '',
    ].join('\r\n');
    await writeToMaildir(user.email, [Buffer.from(raw)]);
    const current = await openWindow('lead-inbox-html');
    const inbox = current.app.leadInbox;
    await configure(inbox, user);
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true });
    await inbox.cancel();
    await inbox.waitForRecords(1);

    await inbox.openRecord('An HTML enquiry');
    expect(await inbox.recordViews()).toEqual(['Text', 'HTML', 'Source']);
    await inbox.showRecordAs('HTML');
    const frame = await inbox.recordHtmlFrame();
    expect(frame.sandbox).toBe('');
    expect(frame.srcdoc).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'">`);
    expect(frame.bodyText).toBe('Hello from the web form');
    expect(await current.page.title()).toBe('Mail Settings');
    expect(imageRequests).toBe(0);

    // The frame said no to the script (sandboxed) and to the remote image (its own policy): expected here, so
    // they are taken out of the window's errors, which must otherwise stay empty.
    const refusals = current.pageErrors.splice(0);
    expect(refusals.some((line) => /Blocked script execution in 'about:srcdoc'.*sandboxed/.test(line))).toBe(true);
    expect(refusals.some((line) => line.includes(imageUrl) && line.includes(`"img-src data: cid:"`))).toBe(true);
    await inbox.closeRecord();
  });
});

describe('Service Desk Inbox', () => {
  it('turns each message into a case with its reference', async () => {
    const user = await newMailbox('support');
    const messages = webFormMessages(2, `e2e-desk-${randomUUID().slice(0, 8)}`);
    await writeToMaildir(user.email, messages.map((message) => message.raw));
    const current = await openWindow('service-desk-cases');
    const inbox = current.app.serviceDeskInbox;

    await inbox.openSettings();
    expect((await inbox.values()).recordType).toBe('Service Desk');
    await inbox.fill({ ...dovecotValues(user), password: user.password });
    await inbox.save();
    await inbox.waitForSaved();
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['2 records created.', '2 messages removed from the server.'] });
    await inbox.cancel();

    const records = await inbox.waitForRecords(2);
    const references = records.map((record) => record.kind);
    for (const reference of references) expect(reference).toMatch(/^\[Case #\d+\]$/);
    expect(new Set(references).size).toBe(2);
    expect(await readMailbox(user)).toEqual([]);
  });
});

describe('Warnings', () => {
  it('warns when the Lead Inbox reads the Send Direct mailbox, and when both inboxes read one mailbox', async () => {
    const user = await newMailbox('shared');
    const current: MailSettingsSession = await openWindow('inbox-warnings');
    const { app } = current;
    await app.sendDirect.fill({ serverName: testbed().host, senderName: 'Sales', senderAddress: user.email, userName: user.email, password: user.password });
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();

    await configure(app.leadInbox, user);
    const lead = await app.leadInbox.waitForWarnings();
    expect(lead.some((warning) => warning.includes('which is also the mailbox Send Direct sends from'))).toBe(true);
    await app.leadInbox.cancel();

    await configure(app.serviceDeskInbox, user);
    const desk = await app.serviceDeskInbox.waitForWarnings();
    expect(desk.some((warning) => warning.includes('read the same mailbox'))).toBe(true);
  });
});
