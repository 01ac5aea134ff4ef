import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountState } from '../../../src/shared/accounts';
import { MockNotification, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { notifyWhenReauthNeeded } = await import('../../../src/main/electron/reauth-notifications');
const { createEventBus } = await import('../../../src/main/events/event-bus');

const state = (status: AccountState['status']): AccountState => ({
  mailbox: 'send',
  status,
  provider: 'office365',
  username: 'sales@example.com',
  lastRefreshedAt: null,
  reason: status === 'needs-reauth' ? { code: 'GRANT_EXPIRED', message: 'The sign-in for this mailbox has expired or was revoked.' } : null,
});

describe('the “Re-authenticate Now” notification', () => {
  beforeEach(resetElectronMock);

  it('tells the admin once per dead grant, and clicking it brings the window', () => {
    const events = createEventBus();
    const showWindow = vi.fn();
    notifyWhenReauthNeeded(events, showWindow);
    events.emit('accountStateChanged', state('needs-reauth'));
    events.emit('accountStateChanged', state('needs-reauth'));
    expect(MockNotification.shown).toHaveLength(1);
    expect(MockNotification.shown[0]?.options).toMatchObject({ title: 'Send Direct: sign-in needed', body: expect.stringContaining('Re-authenticate Now') });
    MockNotification.shown[0]?.emit('click');
    expect(showWindow).toHaveBeenCalled();
    // Signed in again, then the grant dies again: a new notification.
    events.emit('accountStateChanged', state('signed-in'));
    events.emit('accountStateChanged', state('needs-reauth'));
    expect(MockNotification.shown).toHaveLength(2);
  });
});
