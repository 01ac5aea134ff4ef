import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { retrieversStatus } from '../../src/main/cli/retrievers-status';
import { startInboxSchedule } from '../../src/main/inbox/schedule/inbox-schedule';
import { startIntegrationSchedule } from '../../src/main/integration/integration-schedule';
import { realTimers } from '../../src/main/service/scheduler';
import type { LogFields, ServiceLog } from '../../src/main/service/service-log';
import type { InboxSettings } from '../../src/shared/inbox';
import type { IntegrationSettings } from '../../src/shared/integration';
import { webFormMessages } from '../support/inbox-messages';
import { runCli } from '../support/run-cli';
import { withPostgresClient } from '../support/postgres-database';
import { eventsOf, synced, useTeam } from '../support/team-installations';
import { addUser, testbed, writeToMaildir, type TestUser } from '../testbed/client';

/**
 * Team mode (issue 16): two installations, each with its own data directory and keychain, on one shared
 * PostgreSQL records database. The inboxes' configurations and Email Integration travel through the
 * database; passwords, tokens and Send Direct stay with each installation.
 */

const team = useTeam();
const installation = (name: string) => team.installation(name);

async function userWith(messages: number): Promise<TestUser> {
  const user = await addUser(`team-${randomUUID().slice(0, 8)}@example.test`);
  if (messages > 0) await writeToMaildir(user.email, webFormMessages(messages, randomUUID()).map((m) => m.raw));
  return user;
}

function leadSettings(user: TestUser, patch: Partial<InboxSettings> = {}): InboxSettings {
  return {
    serverName: testbed().host,
    port: testbed().dovecot.ports.imaps,
    security: 'tls',
    userName: user.email,
    authMethod: 'password',
    allowInsecureAuth: false,
    recordType: 'Web Lead',
    ...patch,
  } as InboxSettings;
}

function integrationSettings(user: TestUser): IntegrationSettings {
  return { mailbox: user.email, host: testbed().host, port: testbed().dovecot.ports.imaps, secure: true, configurationName: 'Sales team', description: 'Shared sales mailbox', authMethod: 'password' };
}

async function messagesOnServer(user: TestUser): Promise<number> {
  const client = new ImapFlow({ host: testbed().host, port: testbed().dovecot.ports.imaps, secure: true, auth: { user: user.email, pass: user.password }, tls: { ca: [testbed().ca.caPem] }, logger: false });
  await client.connect();
  try {
    const status = await client.status('INBOX', { messages: true });
    return status === false ? -1 : (status.messages ?? -1);
  } finally {
    await client.logout();
  }
}

/** Every row of shared_settings, as stored (the JSON text). */
async function sharedRows(): Promise<Array<{ key: string; value: string; updated_by: string }>> {
  return withPostgresClient(team.database().url, async (client) =>
    (await client.query<{ key: string; value: string; updated_by: string }>('SELECT key, value, updated_by FROM shared_settings ORDER BY key')).rows,
  );
}

/** A service log that keeps its lines, for the schedule's words. */
function keptLog(): ServiceLog & { readonly lines: Array<{ level: string; event: string; fields: LogFields }> } {
  const lines: Array<{ level: string; event: string; fields: LogFields }> = [];
  const keep = (level: string) => (event: string, fields: LogFields = {}) => void lines.push({ level, event, fields });
  return { lines, error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') };
}

describe('settings shared through the records database', () => {
  it('gives the Lead Inbox an administrator saved on A to B, at B’s start and at its next sync, without the password', async () => {
    const a = await installation('a');
    const user = await userWith(0);
    expect(await a.runtime.services.inbox.save('lead', leadSettings(user), { kind: 'set', value: user.password })).toMatchObject({ ok: true });
    await synced(a);

    // B starts after the save: it has the inbox at once, but not A's password (A's keychain keeps it).
    const b = await installation('b');
    expect(b.runtime.services.deps.settings.getMailbox('lead')).toMatchObject({ serverName: testbed().host, userName: user.email, recordType: 'Web Lead' });
    expect(await b.runtime.services.inbox.get('lead')).toMatchObject({ ok: true, value: { passwordStored: false } });
    expect(JSON.parse(await readFile(join(b.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ mailboxes: { lead: { userName: user.email } } });

    // A changes it again: B takes it at its next sync, and its windows are told.
    await a.runtime.services.inbox.save('lead', leadSettings(user, { recordType: 'Email Sent' }), { kind: 'keep' });
    await synced(a, b);
    expect(b.runtime.services.deps.settings.getMailbox('lead')).toMatchObject({ recordType: 'Email Sent' });
    expect(eventsOf(b, 'inboxChanged').at(-1)).toMatchObject({ inbox: 'lead', settings: { recordType: 'Email Sent' }, passwordStored: false });
    expect((await sharedRows()).find((row) => row.key === 'mailboxes.lead')?.updated_by).toContain(basename(a.dataDir));
  });

  it('refuses a save made on settings another installation changed meanwhile, keeps theirs, and says so', async () => {
    const a = await installation('a');
    const b = await installation('b');
    const user = await userWith(0);
    await a.runtime.services.inbox.save('lead', leadSettings(user), { kind: 'set', value: user.password });
    await synced(a, b);

    // Both edit the same inbox; B has not seen A's change when it saves its own.
    await a.runtime.services.inbox.save('lead', leadSettings(user, { recordType: 'Email Sent' }), { kind: 'keep' });
    await synced(a);
    const refused = await b.runtime.services.inbox.save('lead', leadSettings(user, { recordType: 'Service Desk' }), { kind: 'set', value: user.password });
    const conflictWarning = expect.objectContaining({ code: 'SHARED_SETTINGS_CHANGED', message: 'Another installation changed these settings; reopen to see them.' });
    // The save answers with A's settings, kept, and says why.
    expect(refused).toMatchObject({ ok: true, value: { settings: { recordType: 'Email Sent' }, warnings: [conflictWarning] } });

    expect(b.runtime.services.deps.settings.getMailbox('lead')).toMatchObject({ recordType: 'Email Sent' });
    expect(eventsOf(b, 'inboxChanged').at(-1)).toMatchObject({
      settings: { recordType: 'Email Sent' },
      warnings: [conflictWarning],
    });
    await synced(a);
    expect(a.runtime.services.deps.settings.getMailbox('lead')).toMatchObject({ recordType: 'Email Sent' });
    expect(JSON.parse((await sharedRows()).find((row) => row.key === 'mailboxes.lead')?.value ?? '{}')).toMatchObject({ recordType: 'Email Sent' });
  });

  it('takes a save that another installation made identically first as saved, without a conflict', async () => {
    const a = await installation('a');
    const b = await installation('b');
    const user = await userWith(0);
    await a.runtime.services.inbox.save('lead', leadSettings(user), { kind: 'set', value: user.password });
    await synced(a, b);

    // Both make the same change; B has not seen A's when it saves.
    await a.runtime.services.inbox.save('lead', leadSettings(user, { recordType: 'Email Sent' }), { kind: 'keep' });
    await synced(a);
    const same = await b.runtime.services.inbox.save('lead', leadSettings(user, { recordType: 'Email Sent' }), { kind: 'keep' });
    expect(same).toMatchObject({ ok: true, value: { settings: { recordType: 'Email Sent' }, warnings: [] } });
    expect(eventsOf(b, 'inboxChanged').every((view) => view.warnings.every((warning) => warning.code !== 'SHARED_SETTINGS_CHANGED'))).toBe(true);

    // B now holds A's revision: its next change goes through.
    await synced(b);
    expect(await b.runtime.services.inbox.save('lead', leadSettings(user, { recordType: 'Service Desk' }), { kind: 'keep' })).toMatchObject({ ok: true, value: { warnings: [] } });
    await synced(a, b);
    expect(a.runtime.services.deps.settings.getMailbox('lead')).toMatchObject({ recordType: 'Service Desk' });
  });

  it('shares Email Integration but never Send Direct, nor a password, a status or anything of the keychain', async () => {
    const a = await installation('a');
    const b = await installation('b');
    const lead = await userWith(0);
    const sales = await userWith(0);
    const sendDirectPassword = `send-${randomUUID()}`;
    await a.runtime.services.inbox.save('lead', leadSettings(lead), { kind: 'set', value: lead.password });
    const added = await a.runtime.services.integration.add(integrationSettings(sales), sales.password);
    expect(added).toMatchObject({ ok: true });
    const sendDirect = {
      serverName: 'smtp.example.test', senderName: 'Sales', senderAddress: 'a-only@example.test', userName: 'a-only@example.test',
      authMethod: 'password', port: 587, security: 'starttls', allowInsecureAuth: false,
    } as const;
    expect(await a.runtime.handlers.saveSendDirect({ settings: sendDirect, password: { kind: 'set', value: sendDirectPassword } })).toMatchObject({ ok: true });
    // A run's outcome is A's own: it becomes A's status, not the team's.
    await a.runtime.services.integrationRetrieval.checkNow(added.ok ? added.value.id : '');
    await synced(a, b);

    const rows = await b.runtime.services.integration.list();
    expect(rows.ok && rows.value.filter((row) => row.kind === 'integration')).toEqual([
      expect.objectContaining({ configurationName: 'Sales team', mailbox: sales.email, hasPassword: false, status: null, lastSuccessAt: null }),
    ]);
    expect(b.runtime.services.deps.settings.getMailbox('send')).toBeNull();

    const stored = await sharedRows();
    expect(stored.map((row) => row.key)).toEqual(['integrations', 'mailboxes.lead']);
    const everything = stored.map((row) => `${row.key} ${row.value} ${row.updated_by}`).join('\n');
    for (const secret of [lead.password, sales.password, sendDirectPassword]) expect(everything).not.toContain(secret);
    expect(everything).not.toContain('a-only@example.test');
    expect(everything).not.toContain('"status"');
  });
});

describe('an installation that received a shared mailbox without its password', () => {
  it('does not retrieve it, and says why once; the installation with the password does, and both say which one', async () => {
    const a = await installation('a');
    const b = await installation('b');
    const lead = await userWith(3);
    const sales = await userWith(2);
    await a.runtime.services.inbox.save('lead', leadSettings(lead), { kind: 'set', value: lead.password });
    await a.runtime.services.integration.add(integrationSettings(sales), sales.password);
    await synced(a, b);

    const log = keptLog();
    const inboxes = startInboxSchedule(b.runtime.services, { everyMs: () => 100, log, timers: realTimers });
    const integrations = startIntegrationSchedule({
      retrieval: b.runtime.services.integrationRetrieval,
      events: b.runtime.services.events,
      log,
      everyMs: 100,
      watchForNewMail: false,
      skipWithoutSignIn: true,
    });
    await sleep(700);
    await inboxes.stop();
    await integrations.stop();

    const said = log.lines.filter((line) => line.event.includes('not checked here'));
    // Once each, not at every one of the intervals that passed.
    expect(said).toHaveLength(2);
    expect(said).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'info', fields: expect.objectContaining({ inbox: 'lead' }) }),
        expect.objectContaining({ level: 'info', fields: expect.objectContaining({ integration: expect.any(String) }) }),
      ]),
    );
    expect(log.lines.filter((line) => line.level === 'error' || line.event === 'retrieval started')).toEqual([]);
    expect(await messagesOnServer(lead)).toBe(3);
    expect(await messagesOnServer(sales)).toBe(2);

    // A holds the password: it empties the inbox, and each installation says who does.
    expect(await a.runtime.services.inbox.checkNow('lead')).toMatchObject({ ok: true, value: { retrieved: 3 } });
    expect(await a.runtime.services.inbox.get('lead')).toMatchObject({ ok: true, value: { retrievedBy: { thisInstallation: true, name: expect.stringContaining(basename(a.dataDir)) } } });
    expect(await b.runtime.services.inbox.get('lead')).toMatchObject({ ok: true, value: { retrievedBy: { thisInstallation: false, name: expect.stringContaining(basename(a.dataDir)) } } });
    // The Email Integration dashboard's Lead Inbox row says it too.
    const dashboard = await b.runtime.services.integration.list();
    expect(dashboard.ok && dashboard.value.find((row) => row.kind === 'leadInbox')).toMatchObject({ retrievedBy: { thisInstallation: false, name: expect.stringContaining(basename(a.dataDir)) } });
    expect(await retrieversStatus(b.runtime.services)).toEqual([
      { id: 'lead', name: 'Lead Inbox', retrievedBy: expect.objectContaining({ thisInstallation: false }) },
      expect.objectContaining({ name: 'Sales team', retrievedBy: null }),
    ]);
    // `status` on B's data directory says the same.
    const status = await runCli(['status', '--json', '--data-dir', b.dataDir, '--database', team.database().url]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      mailboxes: [{ id: 'lead', name: 'Lead Inbox', retrievedBy: { name: expect.stringContaining(basename(a.dataDir)), thisInstallation: false } }, { name: 'Sales team', retrievedBy: null }],
    });
    expect((await runCli(['status', '--data-dir', a.dataDir, '--database', team.database().url])).stdout).toContain(`Lead Inbox: Retrieved by `);
  });
});
