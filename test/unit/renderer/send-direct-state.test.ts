import { describe, expect, it } from 'vitest';
import { isDirty, passwordToSend, sendDirectReducer, type LoadState } from '../../../src/renderer/send-direct/send-direct-state';
import type { SendDirectView } from '../../../src/shared/send-direct';

const empty: SendDirectView = { settings: null, passwordStored: false };
const saved: SendDirectView = {
  settings: { serverName: 'mail.example.com', senderName: 'Sales', senderAddress: 'sales@example.com', userName: 'sales@example.com', authMethod: 'password', port: 587, security: 'starttls' },
  passwordStored: true,
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
