import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addressedMessage } from '../test/support/alias-messages';
import { addUser, readMailbox, testbed, writeToMaildir, type TestUser } from '../test/testbed/client';
import { freshCode } from './harness/administrator';
import { EmailIntegration, type IntegrationValues } from './harness/email-integration';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * System Admin › Email Integration (issue 15, seed 002) in Chromium through the real services, against the
 * test bed's Dovecot: add a credential (Test Connection unavailable until the form is complete), its hidden
 * password, Change Password, aliases, Delete refused while an alias uses it, and each of seed 002's errors.
 */

const windows = useMailSettingsWindows();

const newMailbox = (kind: string): Promise<TestUser> => addUser(`${kind}-${randomUUID().slice(0, 8)}@example.test`);

/** The mailbox on Dovecot's IMAPS port (Use Secure Connection on), as a user would fill it in. */
function dovecotValues(user: TestUser, name = 'Sales mailbox'): IntegrationValues {
  return {
    mailbox: user.email,
    password: user.password,
    host: testbed().host,
    port: String(testbed().dovecot.ports.imaps),
    configurationName: name,
    description: 'Web enquiries from the contact form',
  };
}

const connected = { ok: true, message: 'We were able to connect to your mailbox.' } as const;

describe('Email Integration: a credential from Add to Delete', () => {
  it('adds a credential (Test Connection unavailable until complete), hides its password, changes it, adds an alias, and deletes only once the alias is gone', async () => {
    const user = await newMailbox('integration');
    const { app } = await windows.open('email-integration');
    const integration = new EmailIntegration(app);

    await integration.open();
    expect((await integration.rows()).map((row) => row.mailbox)).not.toContain(user.email);
    await integration.add();
    // Seed 002: port 993 and Use Secure Connection by default; nothing to test with yet.
    expect(await integration.values()).toMatchObject({ port: '993', secure: true, mailbox: '', host: '' });
    expect(await integration.testConnectionState()).toEqual({
      enabled: false,
      hint: 'Complete Mailbox, Password, Host, Configuration Name and Description first: Test Connection needs every required field, correctly filled in.',
    });

    // Each field says what is wrong with it, in words, once left.
    await integration.fill({ mailbox: 'sales' });
    await integration.leave('mailbox');
    expect(await integration.fieldError('mailbox')).toBe('This is not an email address. It should look like sales@yourcompany.com.');
    await integration.fill({ port: '99999' });
    await integration.leave('port');
    expect(await integration.fieldError('port')).toBe('The port must be between 1 and 65535. Most IMAP providers use 993.');
    await integration.screenshot('form-errors');

    const values = dovecotValues(user);
    await integration.fill({ mailbox: values.mailbox, host: values.host, port: values.port });
    expect(await integration.testConnectionState()).toMatchObject({ enabled: false, hint: expect.stringMatching(/^Complete Password, Configuration Name and Description first/) });
    await integration.fill(values);
    expect(await integration.testConnectionState()).toMatchObject({ enabled: true });
    await integration.testConnection();
    expect(await integration.waitForTestResult('test-connected')).toEqual(connected);
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'email-integration-form.png');

    await integration.save();
    // Saved, the form becomes the credential's Details: the password is hidden, the default alias is there.
    await integration.waitForDetails('Sales mailbox');
    await integration.waitForSaved();
    expect(await integration.hasPasswordInput()).toBe(false);
    expect(await integration.hiddenPasswordText()).toBe('Password: hidden. One is stored in your system keychain. To change it, use Change Password in the Action Center.');
    expect(await app.allInputValues()).not.toContain(user.password);
    expect(await integration.aliases()).toEqual([{ address: user.email, target: 'Lead Inbox: “Web Lead” notes · default alias', deletable: false }]);

    // Change Password (seed 002): a mismatch is said, nothing is stored; then a wrong password is refused by the server.
    await integration.openChangePassword();
    expect(await integration.changePassword('new-password-1', 'new-password-2')).toBe('The two passwords are not the same. Enter the new password again in both fields.');
    await integration.screenshot('change-password-mismatch');
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'email-integration-change-password.png');
    expect(await integration.changePassword('not-the-password', 'not-the-password')).toBeNull();
    expect(await integration.notice()).toBe('Password changed. Click Test Connection to check that the mail server accepts it.');
    await integration.testConnection();
    expect(await integration.waitForTestResult('changed-password-refused')).toMatchObject({ ok: false, message: 'The mail server did not accept the user name or password.' });
    await integration.openChangePassword();
    expect(await integration.changePassword(user.password, user.password)).toBeNull();
    await integration.testConnection();
    expect(await integration.waitForTestResult('changed-password-connected')).toEqual(connected);

    const [local, domain] = user.email.split('@');
    const webAlias = `${local}+web@${domain}`;
    await integration.addAlias(webAlias, { activityType: 'Web Lead', owner: 'sam@example.com' });
    expect(await integration.aliases()).toEqual([
      { address: user.email, target: 'Lead Inbox: “Web Lead” notes · default alias', deletable: false },
      { address: webAlias, target: 'Lead Inbox: “Web Lead” notes, owner sam@example.com', deletable: true },
    ]);
    await integration.screenshot('details-with-alias');
    await integration.closeForm();
    await integration.waitForAliasCount('Sales mailbox', 2);
    const row = (await integration.rows()).find((candidate) => candidate.mailbox === user.email);
    expect(row).toMatchObject({ name: 'Sales mailbox', host: testbed().host, aliases: '2', actions: ['Details of Sales mailbox', 'Check now Sales mailbox', 'Delete Sales mailbox'] });
    await integration.screenshot('dashboard');
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'email-integration-dashboard.png');

    // Seed 002: a credential an alias still uses cannot be deleted; the refusal names the alias.
    const refused = await integration.delete('Sales mailbox');
    expect(refused).toMatchObject({ code: 'INTEGRATION_IN_USE' });
    expect(refused === 'deleted' ? '' : refused.message).toContain(webAlias);
    await integration.cancelDelete('Sales mailbox');

    await integration.openDetails('Sales mailbox');
    await integration.waitForDetails('Sales mailbox');
    await integration.deleteAlias(webAlias);
    expect((await integration.aliases()).map((alias) => alias.address)).toEqual([user.email]);
    await integration.closeForm();
    expect(await integration.delete('Sales mailbox')).toBe('deleted');
    expect((await integration.rows()).map((candidate) => candidate.mailbox)).not.toContain(user.email);
  });
});

describe('Email Integration: mail routed by its aliases', () => {
  it('empties an added mailbox on Check now into a Web Lead note and a Support case, by the address each message was sent to', async () => {
    const user = await newMailbox('integration-routing');
    const { app } = await windows.open('email-integration-routing');
    const integration = new EmailIntegration(app);
    await integration.open();
    await integration.add();
    await integration.fill(dovecotValues(user, 'Sales mailbox'));
    await integration.save();
    await integration.waitForDetails('Sales mailbox');
    const [local, domain] = user.email.split('@');
    const webAlias = `${local}+web@${domain}`;
    const supportAlias = `support-${local}@${domain}`;
    await integration.addAlias(webAlias, { activityType: 'Web Lead', owner: 'sam@example.com' });
    await integration.addAlias(supportAlias, { queue: 'Support' });
    await integration.closeForm();
    await integration.waitForAliasCount('Sales mailbox', 3);
    expect((await integration.rows()).find((row) => row.name === 'Sales mailbox')).toMatchObject({ status: 'unknown', lastFetch: 'Never' });

    // Both arrive in the one mailbox; each says in its headers which address it was sent to.
    const enquiry = addressedMessage('Quote for 40 desks', { deliveredTo: webAlias, to: webAlias });
    const problem = addressedMessage('My order arrived damaged', { deliveredTo: supportAlias, to: supportAlias });
    await writeToMaildir(user.email, [enquiry.raw, problem.raw]);

    expect(await integration.checkNow('Sales mailbox')).toBe('checked');
    const row = (await integration.rows()).find((candidate) => candidate.name === 'Sales mailbox');
    expect(row).toMatchObject({ status: 'ok', statusText: 'Connected' });
    expect(row?.lastFetch).not.toBe('Never');
    expect(await readMailbox(user)).toEqual([]);
    await app.screenshot('email-integration-routing');
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'email-integration-routing.png');
    await integration.closeDashboard();

    const notes = await app.leadInbox.waitForRecords(1);
    expect(notes).toEqual([expect.objectContaining({ kind: 'Web Lead', subject: enquiry.subject, assigned: 'Owner: sam@example.com' })]);
    const cases = await app.serviceDeskInbox.waitForRecords(1);
    expect(cases).toEqual([expect.objectContaining({ subject: problem.subject, assigned: 'Queue: Support' })]);
    expect(cases[0]?.kind).not.toBe('No case');
    expect(notes.map((note) => note.subject)).not.toContain(problem.subject);
  });
});

describe('Email Integration: a mailbox on Modern Authentication', () => {
  it('is saved without a password, signs in from its Details in the sign-in popup, tests green and is emptied with its own token', async () => {
    const user = await newMailbox('integration-oauth');
    const { app } = await windows.open('email-integration-oauth');
    const integration = new EmailIntegration(app);
    await integration.open();
    await integration.add();
    const { password: _none, ...values } = dovecotValues(user, 'Office 365 mailbox');
    await integration.fill({ ...values, port: String(testbed().dovecotXoauth2Only.ports.imaps) });
    await integration.chooseAuthMethod('Modern Authentication (OAuth 2.0) - Office 365');
    // No password with Modern Authentication; the sign-in belongs to the saved mailbox.
    expect(await integration.hasPasswordInput()).toBe(false);
    expect(await integration.signInAfterSaveNote()).toContain('Save first');
    expect(await integration.testConnectionState()).toEqual({
      enabled: false,
      hint: 'Save first, then sign in with Modern Authentication: Test Connection uses the saved mailbox’s own sign-in.',
    });
    await integration.screenshot('oauth-before-save');
    await integration.save();
    await integration.waitForDetails('Office 365 mailbox');
    expect(await integration.testConnectionState()).toMatchObject({ enabled: false, hint: 'Click “Sign in using Modern Authentication…” first: Test Connection uses that sign-in.' });

    await integration.clickSignIn();
    const popup = await app.waitForSignInPopup();
    await app.completeIdpSignIn(popup, user);
    await app.waitForPageClosed(popup);
    await publishScreenshot(await integration.waitForSignedIn(user.email), 'email-integration-oauth.png');

    await integration.testConnection();
    expect(await integration.waitForTestResult('oauth-connected')).toEqual(connected);
    await integration.closeForm();

    const enquiry = addressedMessage('Signed-in mailbox enquiry', { to: user.email });
    await writeToMaildir(user.email, [enquiry.raw]);
    expect(await integration.checkNow('Office 365 mailbox')).toBe('checked');
    expect(await readMailbox(user)).toEqual([]);
    await integration.closeDashboard();
    expect(await app.leadInbox.waitForRecords(1)).toEqual([expect.objectContaining({ subject: enquiry.subject })]);
  });
});

describe('Email Integration: seed 002’s Test Connection errors', () => {
  it('says the password was refused, the host is unknown, and that the server wants Use Secure Connection', async () => {
    const user = await newMailbox('integration-errors');
    const { app } = await windows.open('email-integration-errors');
    const integration = new EmailIntegration(app);
    await integration.open();
    await integration.add();
    const values = dovecotValues(user, 'Support mailbox');

    // "xm001 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure) - Bad username or password"
    await integration.fill({ ...values, password: 'not-the-password' });
    await integration.testConnection();
    expect(await integration.waitForTestResult('wrong-password')).toMatchObject({ ok: false, message: 'The mail server did not accept the user name or password.' });
    expect(await integration.testErrorCode()).toBe('IMAP_AUTH_FAILED');

    // "No such host is known - Bad hostname"
    await integration.fill({ host: 'no-such-host.invalid', password: user.password });
    await integration.testConnection();
    const unknown = await integration.waitForTestResult('unknown-host');
    expect(unknown).toMatchObject({ ok: false });
    expect(unknown.message).toMatch(/no-such-host\.invalid/);
    expect(await integration.testErrorCode()).toBe('UNKNOWN_HOST');

    // "Object reference not set to an instance of an object": Use Secure Connection cleared on a TLS-only port.
    await integration.fill({ host: values.host, secure: false });
    await integration.testConnection();
    const plainOnTls = await integration.waitForTestResult('secure-connection-cleared');
    expect(plainOnTls).toMatchObject({ ok: false });
    expect(`${plainOnTls.message} ${plainOnTls.ok ? '' : (plainOnTls.fix ?? '')}`).toMatch(/Use Secure Connection/);

    // The same box cleared on the plain IMAP port connects (STARTTLS, as the server offers it).
    await integration.fill({ port: String(testbed().dovecot.ports.imap) });
    await integration.testConnection();
    expect(await integration.waitForTestResult('plain-port-connected')).toEqual(connected);
  });
});

describe('Email Integration: for administrators, beside the built-in mailboxes', () => {
  it('asks for the administrator’s sign-in before the dashboard opens, and sends a built-in mailbox’s Details to its own dialog', async () => {
    const current = await windows.open('email-integration-admin');
    const { app } = current;
    const administrator = current.administrator;
    if (administrator === null) throw new Error('The window starts with an administrator.');
    // A saved Lead Inbox: a mailbox credential the app holds, shown on the dashboard.
    const user = await newMailbox('integration-lead');
    await app.leadInbox.openSettings();
    await app.leadInbox.fill({ serverName: testbed().host, security: 'SSL/TLS', port: String(testbed().dovecot.ports.imaps), userName: user.email, password: user.password });
    await app.leadInbox.save();
    await app.leadInbox.waitForSaved();
    await app.leadInbox.cancel();
    await app.admin.signOut();
    const integration = new EmailIntegration(app);

    await integration.clickEntry();
    await app.admin.waitForPrompt('Administrator sign-in');
    expect(await app.isShown('System Admin › Email Integration is for administrators.')).toBe(true);
    await app.admin.cancelPrompt();
    expect(await integration.isDashboardOpen()).toBe(false);

    await integration.clickEntry();
    await app.admin.signIn(administrator.email, administrator.password);
    await app.admin.waitForCodeStep();
    await app.admin.submitCode((await freshCode(administrator.totp, administrator.usedStep)).code);
    await integration.waitForDashboard();
    // A built-in mailbox is deleted nowhere here: Details only, which say where it is edited.
    expect(await integration.rows()).toEqual([
      expect.objectContaining({ name: 'Lead Inbox', mailbox: user.email, host: testbed().host, aliases: '—', actions: ['Details of Lead Inbox'] }),
    ]);

    await integration.openDetails('Lead Inbox');
    expect(await integration.builtInDetails('Lead Inbox')).toBe(
      'The Lead Inbox is edited with the gear button of its section in this window (Configure Lead Inbox Processing).',
    );
    await app.screenshot('email-integration-built-in');
    await app.page.getByRole('button', { name: 'Go to Lead Inbox', exact: true }).click();
    await app.leadInbox.cancel();
    expect(await integration.isDashboardOpen()).toBe(false);
  });
});
