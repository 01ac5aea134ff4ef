import { describe, expect, it } from 'vitest';
import {
  inboxFormOf,
  inboxFormReducer,
  isInboxDirty,
  isNewPasswordDestination,
  needsPasswordForNewServer,
  passwordToSend,
  validateInboxDraft,
  validateInboxForSave,
  type InboxFormAction,
  type InboxFormState,
} from '../../../src/renderer/inbox/inbox-form-state';
import type { InboxView } from '../../../src/shared/inbox';

const empty: InboxView = { inbox: 'lead', settings: null, passwordStored: false, warnings: [] };
const saved: InboxView = {
  inbox: 'lead',
  settings: { serverName: 'imap.example.com', userName: 'sales@example.com', authMethod: 'password', port: 993, security: 'tls', allowInsecureAuth: false, recordType: 'Web Lead' },
  passwordStored: true,
  warnings: [],
};

const run = (view: InboxView, ...actions: InboxFormAction[]): InboxFormState => actions.reduce(inboxFormReducer, inboxFormOf(view));

describe('an inbox dialog (logic)', () => {
  it('starts a new Lead Inbox on SSL/TLS, port 993, with the Web Lead type; a Service Desk with its own type', () => {
    expect(run(empty).draft).toEqual({
      serverName: '',
      security: 'tls',
      port: '993',
      userName: '',
      authMethod: 'password',
      allowInsecureAuth: false,
      sharedMailboxChosen: false,
      sharedMailbox: '',
      recordType: 'Web Lead',
      checkEveryMinutes: '5',
      folder: 'INBOX',
      acknowledgeNewCases: false,
      keepOnServer: false,
    });
    expect(run({ ...empty, inbox: 'serviceDesk' }).draft.recordType).toBe('Service Desk');
  });

  it('checks for new mail every 5 minutes unless told otherwise: 1 to 1440 whole minutes are saved, other values explained', () => {
    const saveable = (minutes: string) => validateInboxDraft({ ...run(empty).draft, serverName: 'imap.example.com', userName: 'sales@example.com', checkEveryMinutes: minutes });
    expect(saveable('15')).toMatchObject({ ok: true, settings: { checkEveryMinutes: 15 } });
    expect(saveable(' 1440 ')).toMatchObject({ ok: true, settings: { checkEveryMinutes: 1440 } });
    expect(saveable('0')).toMatchObject({ ok: false, errors: { checkEveryMinutes: 'Check at most every minute: enter 1 or more.' } });
    expect(saveable('1441')).toMatchObject({ ok: false, errors: { checkEveryMinutes: 'Check at least once a day: enter 1440 or less.' } });
    expect(saveable('five')).toMatchObject({ ok: false, errors: { checkEveryMinutes: 'Enter a number of minutes, from 1 to 1440.' } });
  });

  it('moves the port with Use SSL (143 with STARTTLS or None, 993 with SSL/TLS) until the user types one', () => {
    expect(run(empty, { type: 'chooseSecurity', value: 'starttls' }).draft.port).toBe('143');
    expect(run(empty, { type: 'chooseSecurity', value: 'starttls' }, { type: 'chooseSecurity', value: 'tls' }).draft.port).toBe('993');
    expect(run(empty, { type: 'chooseSecurity', value: 'none' }).draft.port).toBe('143');
    const typed = run(empty, { type: 'edit', field: 'port', value: '10993' }, { type: 'chooseSecurity', value: 'starttls' });
    expect(typed.draft.port).toBe('10993');
  });

  it('offers the clear-text allowance with None only, and forgets it when the server or SSL changes', () => {
    const allowed = run(empty, { type: 'chooseSecurity', value: 'none' }, { type: 'setAllowInsecureAuth', value: true });
    expect(allowed.draft.allowInsecureAuth).toBe(true);
    expect(inboxFormReducer(allowed, { type: 'edit', field: 'serverName', value: 'other.example.com' }).draft.allowInsecureAuth).toBe(false);
    expect(inboxFormReducer(allowed, { type: 'chooseSecurity', value: 'tls' }).draft.allowInsecureAuth).toBe(false);
    expect(run(empty, { type: 'setAllowInsecureAuth', value: true }).draft.allowInsecureAuth).toBe(false);
  });

  it('asks for the new server’s password when the server, port or user changes, and not for the Type', () => {
    expect(isNewPasswordDestination(run(saved, { type: 'chooseRecordType', value: 'Web Enquiry' }))).toBe(false);
    for (const change of [
      { type: 'edit', field: 'serverName', value: 'imap.other.example' },
      { type: 'edit', field: 'port', value: '143' },
      { type: 'edit', field: 'userName', value: 'me@example.com' },
    ] as const) {
      const form = run(saved, change);
      expect(needsPasswordForNewServer(form), change.field).toBe(true);
      expect(validateInboxForSave(form), change.field).toMatchObject({ ok: false, errors: { password: 'Enter the password for the new server.' } });
      expect(needsPasswordForNewServer(inboxFormReducer(form, { type: 'typePassword', value: 'new-secret' }))).toBe(false);
    }
  });

  it('keeps a stored password unless it is changed twice alike in Change Password, or removed', () => {
    expect(passwordToSend(run(saved))).toEqual({ kind: 'keep' });
    const mismatch = run(saved, { type: 'openChangePassword' }, { type: 'editChangePassword', field: 'newPassword', value: 'one' }, { type: 'editChangePassword', field: 'confirmPassword', value: 'two' }, { type: 'confirmChangePassword' });
    expect(mismatch.subDialog).toMatchObject({ kind: 'changePassword', errors: { confirmPassword: expect.stringMatching(/not the same/) } });
    expect(passwordToSend(mismatch)).toEqual({ kind: 'keep' });
    const changed = inboxFormReducer(inboxFormReducer(mismatch, { type: 'editChangePassword', field: 'confirmPassword', value: 'one' }), { type: 'confirmChangePassword' });
    expect(changed.subDialog).toEqual({ kind: 'none' });
    expect(passwordToSend(changed)).toEqual({ kind: 'set', value: 'one' });
    expect(isInboxDirty(changed)).toBe(true);
    expect(passwordToSend(run(saved, { type: 'removePassword' }))).toEqual({ kind: 'clear' });
    expect(isInboxDirty(run(saved, { type: 'removePassword' }, { type: 'keepPassword' }))).toBe(false);
  });

  it('shows a field’s message once the field is left, and re-checks it while the user types', () => {
    const left = run(empty, { type: 'blur', field: 'serverName' });
    expect(left.errors.serverName).toMatch(/incoming mail server/);
    expect(left.errors.userName).toBeUndefined();
    expect(inboxFormReducer(left, { type: 'edit', field: 'serverName', value: 'imap.example.com' }).errors.serverName).toBeUndefined();
  });

  it('maps main’s refusal onto the fields, and starts again from main’s answer after a save', () => {
    const failed = run(saved, { type: 'saving' }, { type: 'saveFailed', error: { code: 'INVALID_INPUT', message: 'No', fieldErrors: { 'settings.recordType': 'Choose a type.', 'password.value': 'Too long.' } } });
    expect(failed.errors).toEqual({ recordType: 'Choose a type.', password: 'Too long.' });
    expect(failed.save).toMatchObject({ kind: 'failed' });
    const again = inboxFormReducer(failed, { type: 'saveSucceeded', view: saved });
    expect(again.save).toEqual({ kind: 'saved' });
    expect(again.errors).toEqual({});
  });

  it('follows main’s changes while the form is clean, keeps what the user typed otherwise, and shows new warnings either way', () => {
    const warning = { code: 'INBOXES_SHARE_MAILBOX' as const, message: 'Both inboxes read one mailbox.' };
    const moved: InboxView = { ...saved, settings: saved.settings && { ...saved.settings, serverName: 'imap.moved.example' }, warnings: [warning] };
    expect(run(saved, { type: 'changedElsewhere', view: moved }).draft.serverName).toBe('imap.moved.example');
    const typing = run(saved, { type: 'edit', field: 'userName', value: 'leads@example.com' }, { type: 'changedElsewhere', view: moved });
    expect(typing.draft).toMatchObject({ serverName: 'imap.example.com', userName: 'leads@example.com' });
    expect(typing.saved.warnings).toEqual([warning]);
  });

  it('follows a rename of the chosen Type, and is clean again once main saved the renamed Type', () => {
    const renamed = run(saved, { type: 'recordTypeRenamed', from: 'Web Lead', to: 'Web Enquiry' });
    expect(renamed.draft.recordType).toBe('Web Enquiry');
    const resaved: InboxView = { ...saved, settings: saved.settings && { ...saved.settings, recordType: 'Web Enquiry' } };
    expect(isInboxDirty(inboxFormReducer(renamed, { type: 'changedElsewhere', view: resaved }))).toBe(false);
    expect(run(saved, { type: 'recordTypeRenamed', from: 'Other', to: 'Else' }).draft.recordType).toBe('Web Lead');
  });
});
