import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminStatus, ReauthNotice } from '../../../src/shared/admin';
import { MockNotification, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { notifyWhenReauthNeeded } = await import('../../../src/main/electron/reauth-notifications');
const { createEventBus } = await import('../../../src/main/events/event-bus');

const stopped: ReauthNotice = { mailbox: 'send', address: 'sales@example.com', state: 'stopped', dueAt: null, reason: 'The sign-in for this mailbox has expired or was revoked.' };
const admin: AdminStatus = { administratorsExist: true, storeMissing: false, signedIn: { email: 'admin@example.com', expiresAt: '2026-11-30T12:15:00.000Z' } };

describe('the “Re-authenticate Now” notification', () => {
  beforeEach(resetElectronMock);

  it('tells a signed-in administrator once per stopped mailbox, and clicking it brings the window', () => {
    const events = createEventBus();
    const showWindow = vi.fn();
    notifyWhenReauthNeeded(events, [], showWindow);
    events.emit('reauthNoticesChanged', [stopped]);
    expect(MockNotification.shown).toHaveLength(0);
    events.emit('adminChanged', admin);
    events.emit('reauthNoticesChanged', [stopped]);
    expect(MockNotification.shown).toHaveLength(1);
    expect(MockNotification.shown[0]?.options).toMatchObject({ title: 'Mail for sales@example.com has stopped', body: expect.stringContaining('Re-authenticate Now') });
    MockNotification.shown[0]?.emit('click');
    expect(showWindow).toHaveBeenCalled();
    // Signed in again, then the grant dies again: a new notification.
    events.emit('reauthNoticesChanged', []);
    events.emit('reauthNoticesChanged', [stopped]);
    expect(MockNotification.shown).toHaveLength(2);
  });
});
