import { Notification } from 'electron';
import type { ReauthNotice } from '../../shared/admin';
import { followReauthAlerts } from '../accounts/reauth-alerts';
import type { EventBus } from '../events/event-bus';

/**
 * The OS side of seed 003's re-authentication pop-up: a notification for a signed-in administrator (who
 * decides is accounts/reauth-alerts.ts), so a stopped mailbox is noticed with the window in the
 * background. Clicking it brings the window, where "Re-authenticate Now" waits.
 */
export function notifyWhenReauthNeeded(events: EventBus, initial: readonly ReauthNotice[], showWindow: () => void): () => void {
  return followReauthAlerts(events, initial, ({ title, body }) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body, urgency: 'critical' });
    notification.on('click', showWindow);
    notification.show();
  });
}
