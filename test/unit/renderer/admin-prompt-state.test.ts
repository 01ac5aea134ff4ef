import { describe, expect, it } from 'vitest';
import type { AdminStatus, TwoFactorSetup } from '../../../src/shared/admin';
import { ErrorCode } from '../../../src/shared/errors';
import {
  adminPromptReducer,
  checkAdminStep,
  openAdminPrompt,
  setupKeyGroups,
  type AdminPromptAction,
  type AdminPromptState,
  type AdminPurpose,
} from '../../../src/renderer/admin/admin-prompt-state';

const noAdministrators: AdminStatus = { administratorsExist: false, storeMissing: false, signedIn: null };
const signedOut: AdminStatus = { administratorsExist: true, storeMissing: false, signedIn: null };
const signedIn: AdminStatus = { administratorsExist: true, storeMissing: false, signedIn: { email: 'admin@example.com', expiresAt: '2026-01-01T10:15:00.000Z' } };
const setup: TwoFactorSetup = {
  email: 'admin@example.com',
  otpauthUri: 'otpauth://totp/Mail%20Settings:admin%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Mail%20Settings',
  setupKey: 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
};
const save: AdminPurpose = { action: 'Saving the Lead Inbox settings', confirm: null };
const resetCounter: AdminPurpose = {
  action: 'Resetting the Lead Inbox’s mailbox counter',
  confirm: { title: 'Reset Mailbox Counter', text: 'The next check downloads every message again.', confirmLabel: 'Reset the counter' },
};

const play = (state: AdminPromptState, ...actions: AdminPromptAction[]): AdminPromptState => actions.reduce(adminPromptReducer, state);

describe('the administrator’s prompt (logic)', () => {
  it('offers to create the first administrator while none exists, and signs in once administrators exist', () => {
    expect(openAdminPrompt(save, noAdministrators).step.kind).toBe('createFirst');
    expect(openAdminPrompt(save, signedOut).step.kind).toBe('signIn');
    expect(openAdminPrompt(null, signedOut).step.kind).toBe('signIn');
  });

  it('seed 003: with an administrator signed in, Reset Mailbox Counter is pre-filled and asks to confirm; Save goes straight on', () => {
    expect(openAdminPrompt(resetCounter, signedIn).step).toEqual({ kind: 'confirm', email: 'admin@example.com' });
    expect(openAdminPrompt(save, signedIn).step).toEqual({ kind: 'done' });
  });

  it('creates the first administrator, then 2FA set-up, then the recovery codes, then goes on', () => {
    let state = openAdminPrompt(save, noAdministrators);
    state = play(state, { type: 'edit', field: 'email', value: 'admin@example.com' }, { type: 'started' }, { type: 'firstCreated', setup });
    expect(state).toMatchObject({ busy: false, step: { kind: 'setUpTwoFactor', setup, code: '' } });
    state = play(state, { type: 'twoFactorEnabled', recoveryCodes: ['abcde-fghij'], email: 'admin@example.com' });
    expect(state.step).toEqual({ kind: 'recoveryCodes', codes: ['abcde-fghij'], email: 'admin@example.com' });
    expect(play(state, { type: 'codesSaved' }).step).toEqual({ kind: 'done' });
  });

  it('after the recovery codes (or the sign-in), an action that asks for it is confirmed first', () => {
    const codes = play(openAdminPrompt(resetCounter, noAdministrators), { type: 'firstCreated', setup }, { type: 'twoFactorEnabled', recoveryCodes: ['abcde-fghij'], email: 'admin@example.com' });
    expect(play(codes, { type: 'codesSaved' }).step).toEqual({ kind: 'confirm', email: 'admin@example.com' });
    const code = play(openAdminPrompt(resetCounter, signedOut), { type: 'passwordAccepted', next: { next: 'code', email: 'admin@example.com' } });
    const confirming = play(code, { type: 'signedIn', email: 'admin@example.com' });
    expect(confirming.step).toEqual({ kind: 'confirm', email: 'admin@example.com' });
    expect(play(confirming, { type: 'confirmed' }).step).toEqual({ kind: 'done' });
  });

  it('a password accepted for an administrator whose 2FA is not set up leads to the 2FA set-up', () => {
    const state = play(openAdminPrompt(save, signedOut), { type: 'passwordAccepted', next: { next: 'setUpTwoFactor', setup } });
    expect(state.step).toMatchObject({ kind: 'setUpTwoFactor', setup });
  });

  it('shows main’s refusal of a security number with its fix, and clears the number for the next one', () => {
    const error = { code: ErrorCode.AdminCodeReused, message: 'This security number was used already: each one works once.', fix: 'Wait for the next number.' };
    let state = play(openAdminPrompt(save, signedOut), { type: 'passwordAccepted', next: { next: 'code', email: 'admin@example.com' } }, { type: 'edit', field: 'code', value: '123 456' });
    state = play(state, { type: 'started' });
    expect(state.busy).toBe(true);
    state = play(state, { type: 'failed', error });
    expect(state).toMatchObject({ busy: false, error, step: { kind: 'code', code: '' } });
    // Typing the next number keeps the message until it is sent; sending clears it.
    expect(play(state, { type: 'edit', field: 'code', value: '6' }).error).toEqual(error);
    expect(play(state, { type: 'started' }).error).toBeNull();
  });

  it('goes back to the password when main locks the administrator out (or forgot the password step), keeping the email', () => {
    const locked = { code: ErrorCode.AdminLockedOut, message: 'Too many wrong attempts: admin@example.com can try again in 5 minutes.' };
    const code = play(openAdminPrompt(save, signedOut), { type: 'passwordAccepted', next: { next: 'code', email: 'admin@example.com' } }, { type: 'started' });
    expect(play(code, { type: 'failed', error: locked })).toMatchObject({ error: locked, step: { kind: 'signIn', email: 'admin@example.com', password: '' } });
    const wrongPassword = { code: ErrorCode.AdminCredentialsWrong, message: 'This email address and password do not match an administrator of Mail Settings.' };
    const signIn = play(openAdminPrompt(save, signedOut), { type: 'edit', field: 'email', value: 'admin@example.com' }, { type: 'edit', field: 'password', value: 'guess' }, { type: 'started' });
    expect(play(signIn, { type: 'failed', error: wrongPassword })).toMatchObject({ error: wrongPassword, step: { kind: 'signIn', email: 'admin@example.com', password: '' } });
  });

  it('says a weak password under the password field, in main’s words', () => {
    const weak = { code: ErrorCode.AdminPasswordWeak, message: 'This password is too easy to guess.', fieldErrors: { password: 'Use at least 12 characters.' } };
    const state = play(openAdminPrompt(save, noAdministrators), { type: 'started' }, { type: 'failed', error: weak });
    expect(state.error).toBeNull();
    expect(state.step).toMatchObject({ kind: 'createFirst', errors: { password: 'Use at least 12 characters.' } });
  });

  it('checks the fields as main will before sending: email, password twice, the security number', () => {
    const empty = openAdminPrompt(save, noAdministrators).step;
    expect(checkAdminStep(empty)).toEqual({
      ok: false,
      errors: { email: 'Enter the administrator’s email address.', password: 'Enter the password.', confirmPassword: 'Enter the password again.' },
    });
    const mismatch = { ...empty, email: 'admin@example.com', password: 'a long pass phrase', confirmPassword: 'a long pass phrase!' } as typeof empty;
    expect(checkAdminStep(mismatch)).toMatchObject({ ok: false, errors: { confirmPassword: 'The two passwords are not the same.' } });
    const right = { ...mismatch, email: ' admin@example.com ', confirmPassword: 'a long pass phrase' } as typeof empty;
    expect(checkAdminStep(right)).toEqual({ ok: true, email: 'admin@example.com', secret: 'a long pass phrase' });
    expect(checkAdminStep({ kind: 'code', email: 'admin@example.com', code: '12', codeError: undefined })).toMatchObject({ ok: false });
    expect(checkAdminStep({ kind: 'code', email: 'admin@example.com', code: ' 123 456 ', codeError: undefined })).toEqual({ ok: true, email: 'admin@example.com', secret: '123 456' });
    expect(checkAdminStep({ kind: 'setUpTwoFactor', setup, code: 'abcde-fghij', codeError: undefined })).toEqual({ ok: true, email: 'admin@example.com', secret: 'abcde-fghij' });
  });

  it('shows the setup key in main’s groups of four', () => {
    expect(setupKeyGroups(setup.setupKey)).toEqual(['JBSW', 'Y3DP', 'EHPK', '3PXP', 'JBSW', 'Y3DP', 'EHPK', '3PXP']);
  });
});
