import type { ReauthNotice } from '../../shared/admin';

/**
 * Seed 003's re-authentication notices as the window shows them: a signed-in administrator gets the pop-up
 * with "Re-authenticate Now" (until "Later", which holds until the list changes); everyone else a banner.
 */
export type ReauthShown =
  | { readonly kind: 'none' }
  | { readonly kind: 'popup'; readonly notices: readonly ReauthNotice[] }
  | { readonly kind: 'banner'; readonly notices: readonly ReauthNotice[] };

/** The list as "Later" remembers it: a mailbox added, or one that went from soon to stopped, asks again. */
export function reauthNoticesKey(notices: readonly ReauthNotice[]): string {
  return notices
    .map((notice) => `${notice.mailbox}:${notice.state}`)
    .sort()
    .join(',');
}

export function reauthShown(notices: readonly ReauthNotice[], adminSignedIn: boolean, laterFor: string | null): ReauthShown {
  if (notices.length === 0) return { kind: 'none' };
  if (!adminSignedIn) return { kind: 'banner', notices };
  return laterFor === reauthNoticesKey(notices) ? { kind: 'none' } : { kind: 'popup', notices };
}

/** The banner's sentence for a user who is not an administrator. */
export function reauthBannerText(notice: ReauthNotice, formatDate: (iso: string) => string): string {
  if (notice.state === 'stopped') return `Mail for ${notice.address} has stopped: ask your administrator to re-authenticate.`;
  const when = notice.dueAt === null ? 'soon' : `on ${formatDate(notice.dueAt)}`;
  return `Mail for ${notice.address} will stop ${when}: ask your administrator to re-authenticate before then.`;
}
