import type { ReauthNotice } from '../../shared/admin';
import { accountLabel, type AccountId } from '../../shared/accounts';
import type { AccountRecord } from '../settings/settings-schema';

const dayMs = 24 * 60 * 60_000;

/**
 * When a grant dies without anyone signing out, and how long before to say so:
 * - Microsoft ends a refresh token that is not used for 90 days (Microsoft identity platform, "Refresh
 *   tokens": inactive for 90 days); an Office 365 or OpenID Connect mailbox is flagged after 80.
 * - Google ends one unused for six months, and every one 7 days after the sign-in while the Google Cloud
 *   project is in "Testing" (Google Identity, "Refresh token expiration"): flagged after 170 days, or after 6.
 */
export const reauthRules = {
  idleRefreshToken: { warnAfterMs: 80 * dayMs, endsAfterMs: 90 * dayMs },
  googleIdleRefreshToken: { warnAfterMs: 170 * dayMs, endsAfterMs: 180 * dayMs },
  googleTestingProject: { warnAfterMs: 6 * dayMs, endsAfterMs: 7 * dayMs },
} as const;

export interface ReauthPolicy {
  /** The Google Cloud project of the installation's Google client id is in "Testing" (MAIL_SETTINGS_GOOGLE_PROJECT_STATUS=testing). */
  readonly googleProjectInTesting: boolean;
}

/**
 * A mailbox's notice, or null while its mail flows and will keep flowing: `stopped` once its grant is
 * dead (needs re-authentication), `soon` within the last days before the provider ends it.
 */
export function reauthNoticeOf(mailbox: AccountId, record: AccountRecord | null, now: Date, policy: ReauthPolicy): ReauthNotice | null {
  if (!record) return null;
  const address = record.username || accountLabel(mailbox);
  if (record.status === 'needs-reauth') {
    return { mailbox, address, state: 'stopped', dueAt: null, reason: record.reason?.message ?? `The sign-in of ${address} has ended.` };
  }
  const lastUsed = Date.parse(record.lastRefreshedAt ?? record.signedInAt ?? '');
  const signedIn = Date.parse(record.signedInAt ?? record.lastRefreshedAt ?? '');
  const soon = (from: number, rule: { readonly warnAfterMs: number; readonly endsAfterMs: number }, why: string): ReauthNotice | null =>
    Number.isFinite(from) && now.getTime() - from >= rule.warnAfterMs ? { mailbox, address, state: 'soon', dueAt: new Date(from + rule.endsAfterMs).toISOString(), reason: why } : null;
  if (record.provider.kind === 'google') {
    return (
      (policy.googleProjectInTesting
        ? soon(signedIn, reauthRules.googleTestingProject, `Google ends the sign-in of ${address} 7 days after it was made, while the app’s Google project is in testing.`)
        : null) ?? soon(lastUsed, reauthRules.googleIdleRefreshToken, `The sign-in of ${address} has not been used for ${daysSince(lastUsed, now)} days; Google ends it after six months.`)
    );
  }
  return soon(lastUsed, reauthRules.idleRefreshToken, `The sign-in of ${address} has not been used for ${daysSince(lastUsed, now)} days; Microsoft ends it after 90.`);
}

function daysSince(from: number, now: Date): number {
  return Math.floor((now.getTime() - from) / dayMs);
}
