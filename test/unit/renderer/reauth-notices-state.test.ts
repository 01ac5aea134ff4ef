import { describe, expect, it } from 'vitest';
import type { ReauthNotice } from '../../../src/shared/admin';
import { reauthBannerText, reauthNoticesKey, reauthShown } from '../../../src/renderer/admin/reauth-notices-state';

const stopped: ReauthNotice = { mailbox: 'lead', address: 'sales@example.com', state: 'stopped', dueAt: null, reason: 'The sign-in was revoked.' };
const soon: ReauthNotice = { mailbox: 'send', address: 'crm@example.com', state: 'soon', dueAt: '2026-03-01T09:00:00.000Z', reason: 'Microsoft ends it after 90 days.' };

describe('re-authentication notices (logic)', () => {
  it('seed 003: a signed-in administrator gets the pop-up, everyone else the banner', () => {
    expect(reauthShown([stopped], true, null)).toEqual({ kind: 'popup', notices: [stopped] });
    expect(reauthShown([stopped], false, null)).toEqual({ kind: 'banner', notices: [stopped] });
    expect(reauthShown([], true, null)).toEqual({ kind: 'none' });
  });

  it('"Later" holds until the list changes: another mailbox, or one that stopped meanwhile', () => {
    const later = reauthNoticesKey([soon]);
    expect(reauthShown([soon], true, later)).toEqual({ kind: 'none' });
    expect(reauthShown([soon, stopped], true, later).kind).toBe('popup');
    expect(reauthShown([{ ...soon, state: 'stopped' }], true, later).kind).toBe('popup');
    // Not a choice for users without an administrator: the banner stays.
    expect(reauthShown([soon], false, later).kind).toBe('banner');
  });

  it('names the mailbox and says who can fix it', () => {
    expect(reauthBannerText(stopped, () => 'never')).toBe('Mail for sales@example.com has stopped: ask your administrator to re-authenticate.');
    expect(reauthBannerText(soon, () => '1 March 2026')).toBe('Mail for crm@example.com will stop on 1 March 2026: ask your administrator to re-authenticate before then.');
  });
});
