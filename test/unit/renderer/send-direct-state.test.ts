import { describe, expect, it } from 'vitest';
import { connectionReadiness } from '../../../src/renderer/send-direct/send-direct-connection';
import { isDirty, isNewPasswordDestination, needsPasswordForNewServer, passwordToSend, sendDirectReducer, validateForSave, type LoadState } from '../../../src/renderer/send-direct/send-direct-state';
import type { SendDirectView } from '../../../src/shared/send-direct';

const empty: SendDirectView = { settings: null, passwordStored: false, encryptionTurnedOn: false };
const saved: SendDirectView = {
  settings: { serverName: 'mail.example.com', senderName: 'Sales', senderAddress: 'sales@example.com', userName: 'sales@example.com', authMethod: 'password', port: 587, security: 'starttls', allowInsecureAuth: false },
  passwordStored: true,
  encryptionTurnedOn: false,
};

function form(state: LoadState) {
  if (state.kind !== 'ready') throw new Error(`expected a ready form, got ${state.kind}`);
  return state.form;
}

describe('the Send Direct form (logic)', () => {
  it('fills in the provider’s server, port and SSL when Modern Authentication is chosen on an empty form', () => {
    const loaded = sendDirectReducer({ kind: 'loading' }, { type: 'loaded', view: empty });
    const office = form(sendDirectReducer(loaded, { type: 'chooseAuthMethod', value: 'oauth-office365' }));
    expect(office.draft).toMatchObject({ serverName: 'smtp.office365.com', port: '587', security: 'starttls' });
    const google = form(sendDirectReducer({ kind: 'ready', form: office }, { type: 'chooseAuthMethod', value: 'oauth-google' }));
    expect(google.draft).toMatchObject({ serverName: 'smtp.gmail.com', port: '465', security: 'tls' });
  });

  it('keeps a server the user entered, and a port the user typed', () => {
    const loaded = sendDirectReducer({ kind: 'loading' }, { type: 'loaded', view: saved });
    const typed = sendDirectReducer(loaded, { type: 'edit', field: 'port', value: '2525' });
    const office = form(sendDirectReducer(typed, { type: 'chooseAuthMethod', value: 'oauth-office365' }));
    expect(office.draft).toMatchObject({ serverName: 'mail.example.com', port: '2525', security: 'starttls' });
  });

  it('moves 587 to 465 with SSL/TLS and back, until a port is typed', () => {
    const loaded = sendDirectReducer({ kind: 'loading' }, { type: 'loaded', view: saved });
    const tls = sendDirectReducer(loaded, { type: 'chooseSecurity', value: 'tls' });
    expect(form(tls).draft.port).toBe('465');
    expect(form(sendDirectReducer(tls, { type: 'chooseSecurity', value: 'starttls' })).draft.port).toBe('587');
    const typed = sendDirectReducer(loaded, { type: 'edit', field: 'port', value: '587' });
    expect(form(sendDirectReducer(typed, { type: 'chooseSecurity', value: 'tls' })).draft.port).toBe('587');
  });

  it('keeps a stored password unless the user types, removes or changes it, and knows when the form is dirty', () => {
    const loaded = sendDirectReducer({ kind: 'loading' }, { type: 'loaded', view: saved });
    expect(passwordToSend(form(loaded))).toEqual({ kind: 'keep' });
    expect(isDirty(form(loaded))).toBe(false);
    const removed = sendDirectReducer(loaded, { type: 'removePassword' });
    expect(passwordToSend(form(removed))).toEqual({ kind: 'clear' });
    expect(isDirty(form(removed))).toBe(true);
    expect(isDirty(form(sendDirectReducer(removed, { type: 'discard' })))).toBe(false);
  });
});

describe('the Send Direct form: where a stored password may go (logic)', () => {
  const signedOut = { status: null, username: null };

  it('asks for the new server’s password when the server, port or user name changes, and not for the sender name', () => {
    const loaded = sendDirectReducer({ kind: 'loading' }, { type: 'loaded', view: saved });
    expect(needsPasswordForNewServer(form(sendDirectReducer(loaded, { type: 'edit', field: 'senderName', value: 'Sales Team' })))).toBe(false);
    for (const [field, value] of [['serverName', 'smtp.elsewhere.example'], ['port', '2525'], ['userName', 'other@example.com']] as const) {
      const moved = form(sendDirectReducer(loaded, { type: 'edit', field, value }));
      expect(needsPasswordForNewServer(moved)).toBe(true);
      // Save is refused with the reason under the password; Test Connection waits for it.
      expect(validateForSave(moved)).toEqual({ ok: false, errors: { password: 'Enter the password for the new server.' } });
      expect(connectionReadiness(moved, signedOut)).toMatchObject({ ready: false, reason: expect.stringContaining('password for the new server') });
    }
    // The same server spelled differently is the same destination.
    expect(isNewPasswordDestination(form(sendDirectReducer(loaded, { type: 'edit', field: 'serverName', value: 'MAIL.example.com.' })))).toBe(false);
  });

  it('takes a typed password for the new server, and stays on that input while the user types', () => {
    const loaded = sendDirectReducer({ kind: 'loading' }, { type: 'loaded', view: saved });
    const moved = sendDirectReducer(loaded, { type: 'edit', field: 'serverName', value: 'smtp.elsewhere.example' });
    const typed = form(sendDirectReducer(moved, { type: 'typePassword', value: 'new-server-secret' }));
    expect(isNewPasswordDestination(typed)).toBe(true);
    expect(needsPasswordForNewServer(typed)).toBe(false);
    expect(validateForSave(typed)).toMatchObject({ ok: true });
    expect(connectionReadiness(typed, signedOut)).toMatchObject({ ready: true, password: { kind: 'set', value: 'new-server-secret' } });
  });

  it('offers the clear-text allowance with None only, unticked each time None is chosen or the server changes', () => {
    const loaded = sendDirectReducer({ kind: 'loading' }, { type: 'loaded', view: saved });
    expect(form(sendDirectReducer(loaded, { type: 'setAllowInsecureAuth', value: true })).draft.allowInsecureAuth).toBe(false);
    const none = sendDirectReducer(loaded, { type: 'chooseSecurity', value: 'none' });
    const allowed = sendDirectReducer(none, { type: 'setAllowInsecureAuth', value: true });
    expect(form(allowed).draft.allowInsecureAuth).toBe(true);
    expect(isDirty(form(allowed))).toBe(true);
    const again = sendDirectReducer(sendDirectReducer(allowed, { type: 'chooseSecurity', value: 'starttls' }), { type: 'chooseSecurity', value: 'none' });
    expect(form(again).draft.allowInsecureAuth).toBe(false);
    expect(form(sendDirectReducer(allowed, { type: 'edit', field: 'serverName', value: 'relay.example.com' })).draft.allowInsecureAuth).toBe(false);
  });
});
