import { describe, expect, it } from 'vitest';
import { describeRefreshedAt, initialModernAuthState, modernAuthReducer, modernAuthViewOf, signInRequestOf } from '../../../src/renderer/mail-account/modern-auth-state';
import type { AccountState } from '../../../src/shared/accounts';

const account = (status: AccountState['status']): AccountState => ({
  mailbox: 'send', status, provider: status === 'signed-out' ? null : 'office365', username: status === 'signed-out' ? null : 'sales@example.com',
  lastRefreshedAt: '2026-11-24T10:00:00.000Z', reason: status === 'needs-reauth' ? { code: 'GRANT_EXPIRED', message: 'expired' } : null,
});

describe('the Modern Authentication panel (logic)', () => {
  it('goes signed out → waiting → signed in, and shows a red cross when the grant dies', () => {
    let state = modernAuthReducer(initialModernAuthState, { type: 'loaded', account: account('signed-out') });
    expect(modernAuthViewOf(state).kind).toBe('signedOut');
    state = modernAuthReducer(state, { type: 'signInStarted', provider: 'office365' });
    state = modernAuthReducer(state, { type: 'signInProgress', url: 'https://login.example/authorize', via: 'popup' });
    expect(modernAuthViewOf(state)).toMatchObject({ kind: 'waiting', url: 'https://login.example/authorize' });
    state = modernAuthReducer(state, { type: 'signInFinished', result: { ok: true, value: account('signed-in') } });
    expect(modernAuthViewOf(state)).toMatchObject({ kind: 'signedIn', account: { username: 'sales@example.com' } });
    state = modernAuthReducer(state, { type: 'accountChanged', account: account('needs-reauth') });
    expect(modernAuthViewOf(state)).toMatchObject({ kind: 'needsReauth', reason: { code: 'GRANT_EXPIRED' } });
  });

  it('says nothing when the user cancelled, and explains a popup closed too early', () => {
    const waiting = modernAuthReducer(modernAuthReducer(initialModernAuthState, { type: 'loaded', account: account('signed-out') }), { type: 'signInStarted', provider: 'office365' });
    const cancelled = { ok: false as const, error: { code: 'SIGN_IN_CANCELLED' as const, message: 'closed' } };
    const byUser = modernAuthReducer(modernAuthReducer(waiting, { type: 'cancelling' }), { type: 'signInFinished', result: cancelled });
    expect(modernAuthViewOf(byUser)).toEqual({ kind: 'signedOut', failure: null });
    const byWindow = modernAuthReducer(waiting, { type: 'signInFinished', result: cancelled });
    expect(modernAuthViewOf(byWindow)).toMatchObject({ kind: 'signedOut', failure: { code: 'SIGN_IN_CANCELLED' } });
  });

  it('builds the sign-in request from the provider settings, leaving empty ones to the defaults', () => {
    expect(signInRequestOf('office365', { clientId: ' ', tenant: 'contoso.onmicrosoft.com', clientSecret: '' }, 'sales@example.com')).toEqual({
      ok: true,
      provider: { kind: 'office365', tenant: 'contoso.onmicrosoft.com', loginHint: 'sales@example.com' },
    });
    expect(signInRequestOf('office365', { clientId: '', tenant: 'not a tenant!', clientSecret: '' }, '')).toMatchObject({ ok: false, errors: { tenant: expect.stringMatching(/tenant/) } });
  });

  it('describes the last refresh in words', () => {
    const now = new Date('2026-11-24T10:00:30.000Z');
    expect(describeRefreshedAt('2026-11-24T10:00:00.000Z', now)).toBe('just now');
    expect(describeRefreshedAt('2026-11-24T09:55:00.000Z', now)).toMatch(/minutes ago/);
  });
});
