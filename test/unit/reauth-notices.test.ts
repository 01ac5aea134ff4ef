import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReauthNotice, AdminStatus } from '../../src/shared/admin';
import type { AccountService } from '../../src/main/accounts/account-service';
import { followReauthAlerts, type ReauthAlert } from '../../src/main/accounts/reauth-alerts';
import { reauthNoticeOf } from '../../src/main/accounts/reauth-rules';
import { createReauthService } from '../../src/main/accounts/reauth-service';
import { createEventBus } from '../../src/main/events/event-bus';
import type { AccountRecord } from '../../src/main/settings/settings-schema';
import { openConfSettings } from '../../src/main/settings/settings-store';

const day = 24 * 60 * 60_000;
const now = new Date('2026-11-30T12:00:00Z');
const daysAgo = (days: number): string => new Date(now.getTime() - days * day).toISOString();

function record(patch: Partial<AccountRecord> = {}): AccountRecord {
  return {
    provider: { kind: 'office365' },
    username: 'sales@example.test',
    accountKey: 'key',
    status: 'signed-in',
    lastRefreshedAt: daysAgo(1),
    signedInAt: daysAgo(1),
    reason: null,
    ...patch,
  };
}

describe('which mailboxes need a new sign-in, now or soon', () => {
  const production = { googleProjectInTesting: false };

  it('says a dead grant has stopped the mail, with the reason it ended', () => {
    const reason = { code: 'GRANT_EXPIRED', message: 'The sign-in has expired or was revoked.' };
    expect(reauthNoticeOf('lead', record({ status: 'needs-reauth', reason }), now, production)).toEqual({
      mailbox: 'lead',
      address: 'sales@example.test',
      state: 'stopped',
      dueAt: null,
      reason: 'The sign-in has expired or was revoked.',
    });
  });

  it('warns from day 80 of an unused Microsoft refresh token, which ends on day 90', () => {
    expect(reauthNoticeOf('send', record({ lastRefreshedAt: daysAgo(79) }), now, production)).toBeNull();
    expect(reauthNoticeOf('send', record({ lastRefreshedAt: daysAgo(81) }), now, production)).toEqual({
      mailbox: 'send',
      address: 'sales@example.test',
      state: 'soon',
      dueAt: new Date(now.getTime() + 9 * day).toISOString(),
      reason: 'The sign-in of sales@example.test has not been used for 81 days; Microsoft ends it after 90.',
    });
  });

  it('warns 6 days after a Google sign-in while the Google project is in testing, however often it is used', () => {
    const google = record({ provider: { kind: 'google' }, lastRefreshedAt: daysAgo(0), signedInAt: daysAgo(6) });
    expect(reauthNoticeOf('lead', google, now, production)).toBeNull();
    expect(reauthNoticeOf('lead', google, now, { googleProjectInTesting: true })).toMatchObject({ state: 'soon', dueAt: new Date(now.getTime() + day).toISOString() });
    expect(reauthNoticeOf('lead', { ...google, signedInAt: daysAgo(5) }, now, { googleProjectInTesting: true })).toBeNull();
  });

  it('has nothing to say of a mailbox that was never signed in', () => {
    expect(reauthNoticeOf('lead', null, now, production)).toBeNull();
  });
});

describe('the re-authentication service and its alerts', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-reauth-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('lists the notices, announces a change at once, and a due date reached as days pass', async () => {
    const settings = openConfSettings(dataDir);
    const events = createEventBus();
    let clock = now;
    const signIns: unknown[] = [];
    const accounts = { signIn: async (...args: unknown[]) => (signIns.push(args), { ok: true, value: null }) } as unknown as AccountService;
    const service = createReauthService({ settings, accounts, events, now: () => clock, policy: { googleProjectInTesting: false } });
    settings.setAccount('lead', record({ lastRefreshedAt: daysAgo(70) }));
    const announced: (readonly ReauthNotice[])[] = [];
    events.on('reauthNoticesChanged', (notices) => announced.push(notices));
    let tick = (): void => undefined;
    const stop = service.watch(1_000, (_ms, task) => ((tick = task), () => undefined));

    expect(await service.list()).toEqual({ ok: true, value: [] });
    clock = new Date(now.getTime() + 11 * day);
    tick();
    expect(announced.at(-1)).toMatchObject([{ mailbox: 'lead', state: 'soon' }]);
    tick();
    expect(announced).toHaveLength(1);

    settings.setAccount('lead', record({ status: 'needs-reauth', reason: { code: 'GRANT_EXPIRED', message: 'Revoked.' } }));
    events.emit('accountStateChanged', { mailbox: 'lead', status: 'needs-reauth', provider: 'office365', username: 'sales@example.test', lastRefreshedAt: null, reason: null });
    expect(announced.at(-1)).toMatchObject([{ mailbox: 'lead', state: 'stopped', reason: 'Revoked.' }]);

    await service.reauthenticate('lead');
    expect(signIns).toEqual([['lead', expect.objectContaining({ kind: 'office365', loginHint: 'sales@example.test' }), 'popup']]);
    expect(await service.reauthenticate('serviceDesk')).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    stop();
  });

  it('lists an Email Integration mailbox whose grant died, and renews it with its own sign-in', async () => {
    const settings = openConfSettings(dataDir);
    const signIns: unknown[] = [];
    const accounts = { signIn: async (...args: unknown[]) => (signIns.push(args), { ok: true, value: null }) } as unknown as AccountService;
    const service = createReauthService({ settings, accounts, events: createEventBus(), now: () => now, policy: { googleProjectInTesting: false } });
    settings.setAccount('integration:sales1', record({ username: 'sales@example.test', status: 'needs-reauth', reason: { code: 'GRANT_EXPIRED', message: 'Revoked.' } }));
    expect(await service.list()).toEqual({ ok: true, value: [expect.objectContaining({ mailbox: 'integration:sales1', address: 'sales@example.test', state: 'stopped' })] });
    await service.reauthenticate('integration:sales1');
    expect(signIns).toEqual([['integration:sales1', expect.objectContaining({ kind: 'office365', loginHint: 'sales@example.test' }), 'popup']]);
  });

  it('alerts an administrator once per mailbox and state, and nobody else', () => {
    const events = createEventBus();
    const alerts: ReauthAlert[] = [];
    const stopped: ReauthNotice = { mailbox: 'lead', address: 'sales@example.test', state: 'stopped', dueAt: null, reason: 'Revoked.' };
    const signedIn: AdminStatus = { administratorsExist: true, storeMissing: false, signedIn: { email: 'admin@example.test', expiresAt: now.toISOString() } };
    const stop = followReauthAlerts(events, [stopped], (alert) => alerts.push(alert));
    events.emit('reauthNoticesChanged', [stopped]);
    expect(alerts).toEqual([]);
    events.emit('adminChanged', signedIn);
    expect(alerts).toEqual([{ title: 'Mail for sales@example.test has stopped', body: 'Revoked. Open Mail Settings and choose Re-authenticate Now (Lead Inbox).' }]);
    events.emit('reauthNoticesChanged', [stopped]);
    expect(alerts).toHaveLength(1);
    events.emit('reauthNoticesChanged', []);
    events.emit('reauthNoticesChanged', [stopped]);
    expect(alerts).toHaveLength(2);
    stop();
  });
});
