import { Notification } from 'electron';
import { mailboxLabels } from '../../shared/accounts';
import type { EventBus } from '../events/event-bus';

/**
 * When a mailbox's grant dies, the admin is told at once, even with the window in the background
 * (providers.md: "refresh token dies and nothing says so"). Clicking the notification brings the window,
 * where "Re-authenticate Now" waits. One notification per mailbox until it is signed in again.
 */
export function notifyWhenReauthNeeded(events: EventBus, showWindow: () => void): () => void {
  const notified = new Set<string>();
  return events.on('accountStateChanged', (state) => {
    if (state.status !== 'needs-reauth') {
      notified.delete(state.mailbox);
      return;
    }
    if (notified.has(state.mailbox) || !Notification.isSupported()) return;
    notified.add(state.mailbox);
    const notification = new Notification({
      title: `${mailboxLabels[state.mailbox]}: sign-in needed`,
      body: `${state.reason?.message ?? 'The sign-in for this mailbox has expired.'} Click to open Mail Settings and choose Re-authenticate Now.`,
      urgency: 'critical',
    });
    notification.on('click', showWindow);
    notification.show();
  });
}
