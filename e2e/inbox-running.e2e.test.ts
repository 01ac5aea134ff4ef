import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webFormMessages } from '../test/support/inbox-messages';
import { addUser, readMailbox, testbed, writeToMaildir, type TestUser } from '../test/testbed/client';
import type { InboxDialog, InboxValues } from './harness/inbox-dialog';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * An inbox while it runs (issue 13): Check now's progress bar (n of N, MB), the last run's green tick or
 * red cross, and a failure that stays shown, in the dialog and under the module's header, until a run
 * works again. In Chromium, through the real services, against the test bed's Dovecot.
 */

const windows = useMailSettingsWindows();

function newMailbox(kind: string): Promise<TestUser> {
  return addUser(`${kind}-${randomUUID().slice(0, 8)}@example.test`);
}

function dovecotValues(user: TestUser, patch: Partial<InboxValues> = {}): Partial<InboxValues> {
  return { serverName: testbed().host, security: 'SSL/TLS', port: String(testbed().dovecot.ports.imaps), userName: user.email, ...patch };
}

async function configure(inbox: InboxDialog, user: TestUser, password: string): Promise<void> {
  await inbox.openSettings();
  await inbox.fill({ ...dovecotValues(user), password });
  await inbox.save();
  await inbox.waitForSaved();
}

describe('Lead Inbox: a run as it goes, and how the last one ended', () => {
  it('shows Check now’s progress as a progress bar, n of N with the megabytes downloaded, then a green tick', async () => {
    const user = await newMailbox('progress');
    const messages = webFormMessages(600, `progress-${randomUUID().slice(0, 6)}`);
    await writeToMaildir(user.email, messages.map((message) => message.raw));
    const { app } = await windows.open('lead-inbox-progress');
    const inbox = app.leadInbox;
    await configure(inbox, user, user.password);

    await inbox.checkNow();
    const progress = await inbox.waitForProgress();
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'lead-inbox-progress.png');
    expect(progress.max).toBe(600);
    expect(progress.now).toBeGreaterThan(0);
    expect(progress.now).toBeLessThanOrEqual(600);
    // Caught while keeping a batch, or removing one from the server: n of N and the megabytes either way.
    expect(progress.text).toMatch(/^(Keeping messages as records: \d+ of 600 \(|Removing the kept messages from the server \(\d+ of 600 kept, )(< 0\.1|\d+\.\d) MB downloaded\)\.$/);
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['600 records created.', '600 messages removed from the server.'] });
    expect(await readMailbox(user)).toEqual([]);

    await inbox.cancel();
    expect(await inbox.lastRunStatus('module')).toMatchObject({ mark: 'green tick', text: expect.stringMatching(/^Last checked .+: 600 records created\.$/) });
  });

  it('keeps a failure’s red cross, its reason and fix, in the dialog and the module, until a run works again', async () => {
    const user = await newMailbox('cross');
    await writeToMaildir(user.email, webFormMessages(2, `cross-${randomUUID().slice(0, 6)}`).map((message) => message.raw));
    const { app } = await windows.open('lead-inbox-failure');
    const inbox = app.leadInbox;
    await configure(inbox, user, 'not-the-password');
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: false, code: 'IMAP_AUTH_FAILED' });
    await inbox.cancel();

    // Closed and opened again (as after a restart of the app): the cross is still there, with its fix.
    const crossed = { mark: 'red cross', code: 'IMAP_AUTH_FAILED', text: expect.stringContaining('it did not work. The mail server did not accept the user name or password.') };
    expect(await inbox.lastRunStatus('module')).toMatchObject(crossed);
    await app.screenshot('lead-inbox-failure-module');
    await inbox.openSettings();
    expect(await inbox.lastRunStatus('dialog')).toMatchObject({ ...crossed, text: expect.stringMatching(/Check the Username/) });
    await publishScreenshot(await app.screenshot('lead-inbox-failure-reopened'), 'lead-inbox-failure.png');

    // Fixed: the right password, saved, checked: the tick replaces the cross.
    await inbox.openChangePassword();
    await inbox.enterNewPassword(user.password, user.password);
    await inbox.confirmNewPassword();
    await inbox.save();
    await inbox.waitForSaved();
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['2 records created.', '2 messages removed from the server.'] });
    await inbox.cancel();
    expect(await inbox.lastRunStatus('module')).toMatchObject({ mark: 'green tick', code: null });
    await app.screenshot('lead-inbox-failure-fixed');
  });

  it('saves “Check for new mail every” with the inbox, and explains a value out of range', async () => {
    const user = await newMailbox('interval');
    const { app, host } = await windows.open('lead-inbox-interval');
    const inbox = app.leadInbox;
    await configure(inbox, user, user.password);
    await inbox.setCheckEveryMinutes('0');
    await inbox.save();
    expect(await app.isShown('Check at most every minute: enter 1 or more.')).toBe(true);
    await app.screenshot('lead-inbox-interval-invalid');
    await inbox.setCheckEveryMinutes('15');
    await inbox.save();
    await inbox.waitForSaved();
    expect(host.services.deps.settings.getMailbox('lead')).toMatchObject({ checkEveryMinutes: 15 });
  });
});

describe('Lead Inbox: leaving messages on the server, and a mailbox that holds mail already', () => {
  it('keeps messages on the server; Reset Mailbox Counter, once confirmed, re-downloads everything without a duplicate', async () => {
    const user = await newMailbox('keep');
    await writeToMaildir(user.email, webFormMessages(3, `keep-${randomUUID().slice(0, 6)}`).map((message) => message.raw));
    const { app } = await windows.open('lead-inbox-keep-on-server');
    const inbox = app.leadInbox;
    await inbox.openSettings();
    await inbox.fill({ ...dovecotValues(user), password: user.password });
    await inbox.setKeepOnServer(true);
    await inbox.save();
    await inbox.waitForSaved();

    // The mailbox holds mail already: asked first; "Import all" checks it at once.
    const asked = await inbox.waitForFirstConnectionQuestion();
    expect(asked.question).toMatch(/^This mailbox holds 3 messages, the oldest from .+\.$/);
    expect(asked.choices).toEqual(['Import all', 'Only mail arriving from now on']);
    await inbox.answerFirstConnection('Import all');
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['3 records created.'] });
    expect(await readMailbox(user)).toHaveLength(3);

    expect(await inbox.askResetMailboxCounter()).toContain('Confirm you wish to proceed.');
    expect(await inbox.confirmResetMailboxCounter()).toBe('Mailbox counter reset: the next check reads the whole mailbox again.');
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({
      ok: true,
      lines: ['0 records created.', '3 messages had been kept by an earlier check and were not kept again.'],
    });
    expect(await readMailbox(user)).toHaveLength(3);
    await inbox.cancel();
    expect(await inbox.waitForRecords(3)).toHaveLength(3);
  });

  it('first connection to a full mailbox: “Only mail arriving from now on” leaves the mail there untouched and takes only what comes next', async () => {
    const user = await newMailbox('from-now');
    const tag = `from-now-${randomUUID().slice(0, 6)}`;
    const [older1, older2, newer] = webFormMessages(3, tag).map((message) => message.raw);
    if (!older1 || !older2 || !newer) throw new Error('messages missing');
    await writeToMaildir(user.email, [older1, older2]);
    const { app } = await windows.open('lead-inbox-first-connection');
    const inbox = app.leadInbox;
    await configure(inbox, user, user.password);
    expect((await inbox.waitForFirstConnectionQuestion()).question).toMatch(/^This mailbox holds 2 messages, the oldest from /);
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'lead-inbox-first-connection.png');
    expect(await inbox.answerFirstConnection('Only mail arriving from now on')).toBe(
      'Only mail arriving from now on becomes records. The 2 messages already in the mailbox stay on the server, untouched.',
    );

    await writeToMaildir(user.email, [newer]);
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['1 record created.', '1 message removed from the server.'] });
    const left = await readMailbox(user);
    expect(left.map((message) => message.parsed.subject)).toEqual([`Web lead 0 (${tag})`, `Web lead 1 (${tag})`]);
  });
});

describe('Lead Inbox in the running app: new mail while it idles', () => {
  it('turns mail delivered while the app idles into a record within 10 s (IMAP IDLE), shown in Recent records', async () => {
    const user = await newMailbox('idle');
    const { app } = await windows.open('lead-inbox-idle', { scheduleInboxes: true });
    const inbox = app.leadInbox;
    await configure(inbox, user, user.password);
    await inbox.cancel();
    // Let the watch connect (it starts with the Save) before the mail arrives.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const [message] = webFormMessages(1, `idle-${randomUUID().slice(0, 6)}`);
    if (!message) throw new Error('message missing');
    const deliveredAt = Date.now();
    await writeToMaildir(user.email, [message.raw]);
    const [record] = await inbox.waitForRecords(1);
    expect(Date.now() - deliveredAt).toBeLessThan(10_000);
    expect(record?.subject).toMatch(/^Web lead 0 /);
    expect(await inbox.lastRunStatus('module')).toMatchObject({ mark: 'green tick', text: expect.stringMatching(/1 record created\.$/) });
  });

  it('shows an automatic check’s progress in the open dialog, then its green tick', async () => {
    const user = await newMailbox('idle-dialog');
    const { app } = await windows.open('lead-inbox-idle-dialog', { scheduleInboxes: true });
    const inbox = app.leadInbox;
    await configure(inbox, user, user.password);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const messages = webFormMessages(400, `idle-dialog-${randomUUID().slice(0, 6)}`);
    await writeToMaildir(user.email, messages.map((message) => message.raw));
    // Nobody pressed Check now: the run is the watch's, and the dialog says so while it goes.
    expect(await inbox.waitForAutomaticCheck()).toEqual({
      heading: 'Automatic check of the mailbox:',
      hint: expect.stringMatching(/^The mailbox is being checked automatically/),
      checkNowAvailable: false,
      progressShown: true,
    });
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'lead-inbox-automatic-check.png');
    await expect.poll(async () => (await inbox.recentRecords()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => inbox.lastRunStatus('dialog'), { timeout: 30_000 }).toMatchObject({ mark: 'green tick', text: expect.stringMatching(/records? created\.$/) });
    await expect.poll(async () => (await readMailbox(user)).length, { timeout: 30_000 }).toBe(0);
    expect(await inbox.isCheckNowEnabled()).toBe(true);
  });
});
