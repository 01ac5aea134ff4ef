import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { Channel, RequestOf, ResponseOf } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { signInFirstAdmin } from '../support/admin-session';
import { startLocalRuntime } from '../support/local-runtime';
import { runCli } from '../support/run-cli';
import { addUser, readSavedMessages, testbed, waitForSavedMessage, writeToMaildir, type SavedMessage, type TestUser } from '../testbed/client';

/**
 * Service Desk acknowledgements (issue 13) through the real services: the Service Desk Inbox empties the
 * test bed's Dovecot, and the acknowledgements go through Send Direct to the test bed's smtp-server, which
 * keeps every message it accepts.
 */

let dataDir: string;
let runtime: Runtime;
let desk: TestUser;

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
  return runtime.dispatch(channel, request) as Promise<Result<ResponseOf<C>>>;
}

const crlf = (lines: readonly string[]): Buffer => Buffer.from(`${lines.join('\r\n')}\r\n`);

function mail(options: { readonly id: string; readonly from: string; readonly subject: string; readonly header?: readonly string[] }): Buffer {
  return crlf([
    `Message-ID: <${options.id}>`, 'Date: Sun, 29 Nov 2026 09:00:00 +0000', `From: ${options.from}`, `To: ${desk.email}`, `Subject: ${options.subject}`,
    ...(options.header ?? []), 'Content-Type: text/plain; charset=utf-8', '', 'Hello',
  ]);
}

/** The header fields of a saved message, names lower-cased, values unfolded. */
function headerOf(message: SavedMessage): Record<string, string> {
  const head = message.raw.split(/\r?\n\r?\n/)[0] ?? '';
  const fields: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon).toLowerCase()] ??= line.slice(colon + 1).trim();
  }
  return fields;
}

const sentTo = async (address: string): Promise<SavedMessage[]> => (await readSavedMessages()).filter((message) => message.envelope.rcptTo.includes(address));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-desk-ack-'));
  runtime = await startLocalRuntime(dataDir);
  // Saving an inbox's settings is an administrator's action.
  await signInFirstAdmin(runtime.services);
  desk = await addUser(`desk-${randomUUID().slice(0, 8)}@example.test`);
  const sendDirect = await call('saveSendDirect', {
    settings: { serverName: testbed().host, senderName: 'Support', senderAddress: desk.email, userName: desk.email, authMethod: 'password', port: testbed().smtp.ports.starttls, security: 'starttls', allowInsecureAuth: false },
    password: { kind: 'set', value: desk.password },
  });
  expect(sendDirect.ok).toBe(true);
});
afterAll(async () => {
  await runtime.stop();
  await clearKeychainOf(dataDir);
  await rm(dataDir, { recursive: true, force: true });
});

describe('Service Desk acknowledgements', () => {
  it('acknowledge a new case once per sender per hour, with the tag and the auto-reply headers; never an auto-reply, never ourselves; a reply to one joins its case', async () => {
    const tag = randomUUID().slice(0, 8);
    const anna = `anna-${tag}@customer.example.test`;
    const bot = `bot-${tag}@customer.example.test`;
    await writeToMaildir(desk.email, [
      mail({ id: `first.${tag}@customer.example.test`, from: anna, subject: 'Printer jams' }),
      // A second case from the same sender within the hour: a case, but no second acknowledgement.
      mail({ id: `second.${tag}@customer.example.test`, from: anna, subject: 'Scanner too' }),
      mail({ id: `away.${tag}@customer.example.test`, from: bot, subject: 'Out of office', header: ['Auto-Submitted: auto-replied'] }),
      // Our own address (a loop through a forward): a case, never an acknowledgement.
      mail({ id: `own.${tag}@example.test`, from: desk.email, subject: 'Forwarded to support' }),
    ]);
    const saved = await call('saveInbox', {
      inbox: 'serviceDesk',
      settings: { serverName: testbed().host, port: testbed().dovecot.ports.imaps, security: 'tls', userName: desk.email, authMethod: 'password', allowInsecureAuth: false, recordType: 'Service Desk', acknowledgeNewCases: true },
      password: { kind: 'set', value: desk.password },
    });
    expect(saved, JSON.stringify(saved)).toMatchObject({ ok: true, value: { settings: { acknowledgeNewCases: true } } });
    expect(await call('checkInboxNow', { inbox: 'serviceDesk' })).toMatchObject({ ok: true });

    const records = await call('listInboxRecords', { inbox: 'serviceDesk' });
    if (!records.ok) throw new Error(records.error.message);
    const first = records.value.find((record) => record.subject === 'Printer jams');
    expect(first).toMatchObject({ threadRole: 'opened' });

    const ack = await waitForSavedMessage((message) => message.envelope.rcptTo.includes(anna));
    const header = headerOf(ack);
    expect(header).toMatchObject({
      subject: `${first?.caseReference} Printer jams`,
      'auto-submitted': 'auto-replied',
      'x-auto-response-suppress': 'All',
      'in-reply-to': `<first.${tag}@customer.example.test>`,
    });
    expect(ack.envelope.mailFrom).toBe(desk.email);
    expect(ack.raw).toContain(`We have opened case ${first?.caseReference} for it`);
    // The run is over once checkInboxNow answers: anything else would have been accepted by now.
    expect(await sentTo(anna)).toHaveLength(1);
    expect(await sentTo(bot)).toEqual([]);
    expect(await sentTo(desk.email)).toEqual([]);

    // Anna answers the acknowledgement without the tag: its Message-ID finds the case.
    await writeToMaildir(desk.email, [mail({ id: `answer.${tag}@customer.example.test`, from: anna, subject: 'Re: Thank you', header: [`In-Reply-To: ${header['message-id']}`] })]);
    expect(await call('checkInboxNow', { inbox: 'serviceDesk' })).toMatchObject({ ok: true });
    const after = await call('listInboxRecords', { inbox: 'serviceDesk' });
    if (!after.ok) throw new Error(after.error.message);
    expect(after.value.find((record) => record.subject === 'Re: Thank you')).toMatchObject({ caseId: first?.caseId, threadRole: 'reply', matchedBy: 'in-reply-to' });
    expect(await sentTo(anna)).toHaveLength(1);

    // The command line lists the same thread fields, for scripts.
    const listed = await runCli(['records', 'list', '--inbox', 'service-desk', '--data-dir', dataDir]);
    const rows = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(rows.find((row) => row['subject'] === 'Re: Thank you')).toMatchObject({ caseId: first?.caseId, threadRole: 'reply', matchedBy: 'in-reply-to', flagged: false, automatedBecause: null });
    expect(rows.find((row) => row['subject'] === 'Out of office')).toMatchObject({ caseId: null, threadRole: 'auto-reply', automatedBecause: 'Auto-Submitted: auto-replied' });
  });
});
