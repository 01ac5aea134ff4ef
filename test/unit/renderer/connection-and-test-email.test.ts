import { describe, expect, it } from 'vitest';
import { connectionReadiness } from '../../../src/renderer/send-direct/send-direct-connection';
import { sendDirectReducer, type FormState } from '../../../src/renderer/send-direct/send-direct-state';
import { recipientsOf, validateTestEmail } from '../../../src/renderer/send-direct/test-email-state';
import type { SendDirectView } from '../../../src/shared/send-direct';

const view: SendDirectView = {
  settings: { serverName: 'mail.example.com', senderName: 'Sales', senderAddress: 'sales@example.com', userName: 'sales@example.com', authMethod: 'password', port: 587, security: 'starttls', allowInsecureAuth: false },
  passwordStored: false,
  encryptionTurnedOn: false,
};
const formOf = (v: SendDirectView): FormState => {
  const state = sendDirectReducer({ kind: 'loading' }, { type: 'loaded', view: v });
  if (state.kind !== 'ready') throw new Error('not ready');
  return state.form;
};

describe('Test Connection readiness', () => {
  const signedOut = { status: 'signed-out' as const, username: null };

  it('waits for a password, then tests the form’s values with it', () => {
    const form = formOf(view);
    expect(connectionReadiness(form, signedOut)).toMatchObject({ ready: false, reason: 'Enter the password first.' });
    const typed = sendDirectReducer({ kind: 'ready', form }, { type: 'typePassword', value: 'secret' });
    if (typed.kind !== 'ready') throw new Error('not ready');
    expect(connectionReadiness(typed.form, signedOut)).toMatchObject({ ready: true, password: { kind: 'set', value: 'secret' }, settings: { port: 587 } });
  });

  it('asks for a complete form, and for a sign-in under Modern Authentication', () => {
    const broken = formOf({ ...view, settings: view.settings && { ...view.settings, serverName: '' } });
    expect(connectionReadiness(broken, signedOut)).toMatchObject({ ready: false, reason: expect.stringMatching(/Fill in the fields/) });
    const modern = formOf({ passwordStored: false, encryptionTurnedOn: false, settings: view.settings && { ...view.settings, authMethod: 'oauth-office365' } });
    expect(connectionReadiness(modern, signedOut)).toMatchObject({ ready: false, reason: expect.stringMatching(/Sign in first/) });
    expect(connectionReadiness(modern, { status: 'needs-reauth', username: 'a@b.c' })).toMatchObject({ ready: false, reason: expect.stringMatching(/Re-authenticate first/) });
    expect(connectionReadiness(modern, { status: 'signed-in', username: 'a@b.c' })).toMatchObject({ ready: true });
  });
});

describe('the test email', () => {
  it('splits recipients on commas and semicolons, and explains each wrong field', () => {
    expect(recipientsOf(' a@example.com; b@example.com ,')).toEqual(['a@example.com', 'b@example.com']);
    expect(validateTestEmail({ to: 'not-an-address', subject: '', html: '<p>x</p>', activityNote: true })).toMatchObject({
      ok: false,
      errors: { to: expect.stringMatching(/email address/), subject: 'Enter a subject.' },
    });
    expect(validateTestEmail({ to: 'a@example.com', subject: 'Hi', html: '<p>x</p>', activityNote: true })).toMatchObject({ ok: true, email: { to: ['a@example.com'], activityNote: true } });
  });
});
