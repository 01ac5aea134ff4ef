import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addUser, readMailbox, testbed, writeToMaildir, type TestUser } from '../test/testbed/client';
import { ServiceDeskThreads } from './harness/case-threads';
import type { InboxDialog } from './harness/inbox-dialog';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * Service Desk cases (issue 13, seed 002), in Chromium through the real services against the test bed's
 * Dovecot: a reply joins the case it answers, by In-Reply-To and then by the `[Case #n]` tag alone behind
 * "AW:"; auto-replies are kept but never open a case; a tag match from a stranger is flagged.
 */

const windows = useMailSettingsWindows();

const crlf = (lines: readonly string[]): Buffer => Buffer.from(`${lines.join('\r\n')}\r\n`);

/** A plain message as a customer's mailer (or an auto-responder) would send it to support@. */
function customerMail(options: { readonly id: string; readonly from: string; readonly subject: string; readonly header?: readonly string[]; readonly body: string }): Buffer {
  return crlf([
    `Message-ID: <${options.id}>`,
    'Date: Sun, 29 Nov 2026 09:00:00 +0100',
    `From: ${options.from}`,
    'To: support@example.test',
    `Subject: ${options.subject}`,
    ...(options.header ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body,
  ]);
}

async function checkNow(inbox: InboxDialog): Promise<void> {
  await inbox.openSettings();
  await inbox.checkNow();
  expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true });
  await inbox.cancel();
}

describe('Service Desk cases', () => {
  it('joins replies to their case (In-Reply-To, then only the tag behind “AW:”), keeps auto-replies without opening a case, and flags a stranger’s tag', async () => {
    const user: TestUser = await addUser(`desk-${randomUUID().slice(0, 8)}@example.test`);
    const tag = randomUUID().slice(0, 8);
    const questionId = `question.${tag}@customer.example.test`;
    await writeToMaildir(user.email, [customerMail({ id: questionId, from: 'Anna Berg <anna@customer.example.test>', subject: 'Drucker druckt nicht', body: 'Der Drucker im 2. Stock druckt nicht.' })]);

    const { app } = await windows.open('service-desk-threads');
    const inbox = app.serviceDeskInbox;
    const threads = new ServiceDeskThreads(app);
    await inbox.openSettings();
    await inbox.fill({ serverName: testbed().host, security: 'SSL/TLS', port: String(testbed().dovecot.ports.imaps), userName: user.email, password: user.password });
    await inbox.save();
    await inbox.waitForSaved();
    await inbox.checkNow();
    expect(await inbox.waitForCheckResult()).toMatchObject({ ok: true, lines: ['1 record created.', '1 message removed from the server.'] });
    await inbox.cancel();

    const [opened] = await threads.waitForCards(1, 'case-opened');
    expect(opened).toMatchObject({ subject: 'Drucker druckt nicht', role: 'Opened this case.', flagged: false });
    const caseReference = opened?.caseReference ?? '';
    expect(caseReference).toMatch(/^\[Case #\d+\]$/);

    // A reply by In-Reply-To, with a subject that no longer carries the tag.
    await writeToMaildir(user.email, [
      customerMail({ id: `reply.${tag}@customer.example.test`, from: 'anna@customer.example.test', subject: 'Re: Drucker druckt nicht', header: [`In-Reply-To: <${questionId}>`, `References: <${questionId}>`], body: 'Er blinkt jetzt orange.' }),
    ]);
    await checkNow(inbox);
    const [reply] = await threads.waitForCards(2, 'reply-joined');
    expect(reply).toEqual({ caseReference, subject: 'Re: Drucker druckt nicht', role: 'Reply, joined to the case by its In-Reply-To.', flagged: false });

    // Only the tag behind "AW:" (a mailer that drops the ids); an auto-reply that answers nothing; one
    // that answers the case; and the tag from an address the case has never seen.
    await writeToMaildir(user.email, [
      customerMail({ id: `tag.${tag}@customer.example.test`, from: 'anna@customer.example.test', subject: `AW: ${caseReference} Drucker druckt nicht`, body: 'Geht wieder, danke!' }),
      customerMail({ id: `away.${tag}@other.example.test`, from: 'bob@other.example.test', subject: 'Automatische Antwort: Abwesend', header: ['Auto-Submitted: auto-replied'], body: 'Ich bin bis Montag nicht im Büro.' }),
      customerMail({ id: `ooo.${tag}@customer.example.test`, from: 'anna@customer.example.test', subject: 'Abwesend: Drucker druckt nicht', header: ['Auto-Submitted: auto-replied', `In-Reply-To: <${questionId}>`], body: 'Ich bin im Urlaub.' }),
      customerMail({ id: `stranger.${tag}@elsewhere.example.test`, from: 'mallory@elsewhere.example.test', subject: `Re: ${caseReference} Bitte Rechnung senden`, body: 'Senden Sie mir die Rechnung.' }),
    ]);
    await checkNow(inbox);
    const cards = await threads.waitForCards(6, 'thread-and-auto-replies');
    const bySubject = Object.fromEntries(cards.map((card) => [card.subject, card]));
    expect(bySubject[`AW: ${caseReference} Drucker druckt nicht`]).toEqual({
      caseReference, subject: `AW: ${caseReference} Drucker druckt nicht`, role: 'Reply, joined to the case by the case number in its subject.', flagged: false,
    });
    expect(bySubject['Automatische Antwort: Abwesend']).toEqual({
      caseReference: 'No case', subject: 'Automatische Antwort: Abwesend', role: 'Auto-reply or report (Auto-Submitted: auto-replied): kept, answers no case, opened none.', flagged: false,
    });
    expect(bySubject['Abwesend: Drucker druckt nicht']).toMatchObject({ caseReference, role: 'Auto-reply or report (Auto-Submitted: auto-replied): kept with the case, never reopens it.' });
    expect(bySubject[`Re: ${caseReference} Bitte Rechnung senden`]).toMatchObject({ caseReference, flagged: true });
    // One case in all: nothing but the first message opened one.
    expect(new Set(cards.map((card) => card.caseReference).filter((reference) => reference !== 'No case'))).toEqual(new Set([caseReference]));
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'service-desk-threads.png');
    expect(await readMailbox(user)).toEqual([]);

    // The case opened: its whole thread, oldest first, auto-replies marked, the stranger flagged.
    await inbox.openRecord('Drucker druckt nicht');
    const thread = await threads.openedThread('case-thread');
    expect(thread.title).toBe(`Thread of ${caseReference}`);
    expect(thread.lines.map((line) => line.subject)).toEqual([
      'Drucker druckt nicht', 'Re: Drucker druckt nicht', `AW: ${caseReference} Drucker druckt nicht`, 'Abwesend: Drucker druckt nicht', `Re: ${caseReference} Bitte Rechnung senden`,
    ]);
    expect(thread.lines[0]).toMatchObject({ role: 'Opened this case.', current: true });
    expect(thread.lines[3]?.role).toMatch(/^Auto-reply or report/);
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'service-desk-case-thread.png');
    await inbox.closeRecord();
  });

  it('offers the acknowledgement in the Service Desk dialog only, off until ticked, and keeps it once saved', async () => {
    const user: TestUser = await addUser(`desk-ack-${randomUUID().slice(0, 8)}@example.test`);
    const { app } = await windows.open('service-desk-acknowledgement');
    const threads = new ServiceDeskThreads(app);
    await app.leadInbox.openSettings();
    expect(await threads.acknowledgementOption('Lead')).toBeNull();
    await app.leadInbox.cancel();

    const inbox = app.serviceDeskInbox;
    await inbox.openSettings();
    expect(await threads.acknowledgementOption('Service Desk')).toEqual({ checked: false });
    await inbox.fill({ serverName: testbed().host, security: 'SSL/TLS', port: String(testbed().dovecot.ports.imaps), userName: user.email, password: user.password });
    await threads.setAcknowledgement(true);
    await inbox.save();
    await inbox.waitForSaved();
    await inbox.cancel();
    await inbox.openSettings();
    expect(await threads.acknowledgementOption('Service Desk')).toEqual({ checked: true });
  });
});
