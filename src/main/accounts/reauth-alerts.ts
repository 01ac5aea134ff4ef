import type { ReauthNotice } from '../../shared/admin';
import { accountLabel, integrationIdOfAccount } from '../../shared/accounts';
import type { EventBus } from '../events/event-bus';

/** What an OS notification says (seed 003: "EXACT will alert admin users via a pop-up message to re-authenticate"). */
export interface ReauthAlert {
  readonly title: string;
  readonly body: string;
}

/**
 * Decides when an administrator is alerted outside the window: each mailbox whose mail stopped, or will
 * soon, once per state while an administrator is signed in; and those pending when one signs in. Other
 * users get the window's banner only (they cannot re-authenticate). `initial` is the list at start.
 */
export function followReauthAlerts(events: EventBus, initial: readonly ReauthNotice[], show: (alert: ReauthAlert) => void): () => void {
  let notices = initial;
  let adminSignedIn = false;
  const alerted = new Set<string>();
  const keyOf = (notice: ReauthNotice): string => `${notice.mailbox}:${notice.state}`;
  const alertNew = (): void => {
    if (!adminSignedIn) return;
    for (const notice of notices) {
      if (alerted.has(keyOf(notice))) continue;
      alerted.add(keyOf(notice));
      show(alertOf(notice));
    }
  };
  const stopNotices = events.on('reauthNoticesChanged', (next) => {
    notices = next;
    // A mailbox that is fine again may stop again later, and is then told again.
    const current = new Set(next.map(keyOf));
    for (const key of alerted) if (!current.has(key)) alerted.delete(key);
    alertNew();
  });
  const stopAdmin = events.on('adminChanged', (status) => {
    adminSignedIn = status.signedIn !== null;
    alertNew();
  });
  return () => {
    stopNotices();
    stopAdmin();
  };
}

function alertOf(notice: ReauthNotice): ReauthAlert {
  const section = integrationIdOfAccount(notice.mailbox) === null ? accountLabel(notice.mailbox) : 'System Admin › Email Integration';
  return notice.state === 'stopped'
    ? { title: `Mail for ${notice.address} has stopped`, body: `${notice.reason} Open Mail Settings and choose Re-authenticate Now (${section}).` }
    : { title: `Mail for ${notice.address} will stop soon`, body: `${notice.reason} Open Mail Settings and choose Re-authenticate Now (${section}).` };
}
