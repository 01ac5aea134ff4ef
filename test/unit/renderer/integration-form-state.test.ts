import { describe, expect, it } from 'vitest';
import type { IntegrationCredentialView } from '../../../src/shared/integration';
import {
  existingIntegrationForm,
  integrationFormReducer,
  integrationTestReadiness,
  isIntegrationDirty,
  newIntegrationForm,
  shownIntegrationErrors,
  shownIntegrationTest,
  type IntegrationFormAction,
  type IntegrationFormState,
} from '../../../src/renderer/integration/integration-form-state';

const complete: IntegrationFormAction[] = [
  { type: 'edit', field: 'mailbox', value: 'Sales@Example.com' },
  { type: 'edit', field: 'password', value: 'secret' },
  { type: 'edit', field: 'host', value: 'imap.example.com' },
  { type: 'edit', field: 'configurationName', value: 'Sales mailbox' },
  { type: 'edit', field: 'description', value: 'Web enquiries' },
];
const run = (state: IntegrationFormState, ...actions: IntegrationFormAction[]): IntegrationFormState => actions.reduce(integrationFormReducer, state);

const saved: IntegrationCredentialView = {
  id: 'a1b2c3d4e5f6',
  kind: 'integration',
  configurationName: 'Sales mailbox',
  mailbox: 'sales@example.com',
  host: 'imap.example.com',
  authMethod: 'password',
  settings: { mailbox: 'sales@example.com', host: 'imap.example.com', port: 993, secure: true, configurationName: 'Sales mailbox', description: 'Web enquiries', authMethod: 'password' },
  hasPassword: true,
  status: null,
  lastSuccessAt: null,
  stale: false,
  aliasCount: 1,
};

describe('New Email Integration (logic)', () => {
  it('starts on port 993 with Use Secure Connection ticked and no problem shown before a field is left', () => {
    const form = newIntegrationForm();
    expect(form.draft).toMatchObject({ port: '993', secure: true, authMethod: 'password' });
    expect(shownIntegrationErrors(form)).toEqual({});
  });

  it('keeps Test Connection unavailable, naming what is missing, until every required field is valid', () => {
    const empty = integrationTestReadiness(newIntegrationForm());
    expect(empty).toMatchObject({ ready: false });
    expect(empty.ready ? '' : empty.reason).toBe(
      'Complete Mailbox, Password, Host, Configuration Name and Description first: Test Connection needs every required field, correctly filled in.',
    );
    const noPassword = integrationTestReadiness(run(newIntegrationForm(), ...complete, { type: 'edit', field: 'password', value: '' }));
    expect(noPassword.ready ? '' : noPassword.reason).toMatch(/^Complete Password first/);
    const ready = integrationTestReadiness(run(newIntegrationForm(), ...complete));
    expect(ready).toMatchObject({ ready: true, id: null, password: { kind: 'set', value: 'secret' }, settings: { mailbox: 'sales@example.com', port: 993, secure: true } });
  });

  it('says in words what is wrong with a field once it is left: an address that is not one, an empty or wrong port', () => {
    const left = run(
      newIntegrationForm(),
      { type: 'edit', field: 'mailbox', value: 'sales' },
      { type: 'leave', field: 'mailbox' },
      { type: 'edit', field: 'port', value: '' },
      { type: 'leave', field: 'port' },
    );
    expect(shownIntegrationErrors(left)).toEqual({
      mailbox: 'This is not an email address. It should look like sales@yourcompany.com.',
      port: 'Enter the port. Most IMAP providers use 993.',
    });
    const outOfRange = run(left, { type: 'edit', field: 'port', value: '70000' });
    expect(shownIntegrationErrors(outOfRange).port).toBe('The port must be between 1 and 65535. Most IMAP providers use 993.');
    // Save shows every problem, also of the fields never visited.
    expect(Object.keys(shownIntegrationErrors(run(left, { type: 'saveRejectedLocally' })))).toEqual(
      expect.arrayContaining(['mailbox', 'password', 'host', 'port', 'configurationName', 'description']),
    );
  });

  it('asks no password for Modern Authentication, and tests only once saved and signed in', () => {
    const oauth = run(newIntegrationForm(), ...complete, { type: 'edit', field: 'authMethod', value: 'oauth-office365' });
    expect(oauth.draft.password).toBe('');
    expect(shownIntegrationErrors(run(oauth, { type: 'saveRejectedLocally' })).password).toBeUndefined();
    const unsaved = integrationTestReadiness(oauth, { status: 'signed-in', username: 'sales@example.com' });
    expect(unsaved.ready ? '' : unsaved.reason).toBe('Save first, then sign in with Modern Authentication: Test Connection uses the saved mailbox’s own sign-in.');

    const savedOAuth = existingIntegrationForm({ ...saved, authMethod: 'oauth-office365', hasPassword: false, settings: { ...saved.settings!, authMethod: 'oauth-office365' } });
    if (savedOAuth === null) throw new Error('an added mailbox has Details');
    const signedOut = integrationTestReadiness(savedOAuth, { status: 'signed-out', username: null });
    expect(signedOut.ready ? '' : signedOut.reason).toBe('Click “Sign in using Modern Authentication…” first: Test Connection uses that sign-in.');
    expect(integrationTestReadiness(savedOAuth, { status: 'signed-in', username: 'sales@example.com' })).toMatchObject({ ready: true, id: saved.id, password: { kind: 'keep' } });
    // Another provider chosen in the form is another sign-in: save it first.
    const otherProvider = integrationTestReadiness(run(savedOAuth, { type: 'edit', field: 'authMethod', value: 'oauth-google' }), { status: 'signed-in', username: 'sales@example.com' });
    expect(otherProvider.ready).toBe(false);
  });

  it('shows a test result only while the form still has the values it was obtained with', () => {
    const form = run(newIntegrationForm(), ...complete);
    const readiness = integrationTestReadiness(form);
    const tested = run(form, { type: 'testStarted', key: readiness.key }, { type: 'testSucceeded', key: readiness.key, message: 'We were able to connect to your mailbox.' });
    expect(shownIntegrationTest(tested, integrationTestReadiness(tested).key)).toMatchObject({ kind: 'succeeded' });
    const edited = run(tested, { type: 'edit', field: 'host', value: 'imap2.example.com' });
    expect(shownIntegrationTest(edited, integrationTestReadiness(edited).key)).toEqual({ kind: 'idle' });
  });

  it('becomes the Details of the saved mailbox once main has added it', () => {
    const added = run(newIntegrationForm(), ...complete, { type: 'saveStarted' }, { type: 'saved', view: saved });
    expect(added.mode).toEqual({ kind: 'existing', id: saved.id, saved: saved.settings, hasPassword: true });
    expect(added.draft).toMatchObject({ mailbox: 'sales@example.com', password: '' });
    expect(added.save).toEqual({ kind: 'saved' });
    expect(isIntegrationDirty(added)).toBe(false);
  });

  it('puts main’s field refusals under their fields', () => {
    const refused = run(newIntegrationForm(), ...complete, {
      type: 'saveFailed',
      error: { code: 'INVALID_INPUT', message: 'Check the marked fields.', fieldErrors: { 'settings.mailbox': 'sales@example.com is an alias of another mailbox.' } },
    });
    expect(shownIntegrationErrors(refused).mailbox).toBe('sales@example.com is an alias of another mailbox.');
    expect(shownIntegrationErrors(run(refused, { type: 'edit', field: 'mailbox', value: 'leads@example.com' })).mailbox).toBeUndefined();
  });
});

describe('Details of an existing credential (logic)', () => {
  const details = (): IntegrationFormState => {
    const form = existingIntegrationForm(saved);
    if (form === null) throw new Error('an added mailbox has Details');
    return form;
  };

  it('has no Details form for a built-in mailbox', () => {
    expect(existingIntegrationForm({ ...saved, id: 'lead', kind: 'leadInbox', settings: null })).toBeNull();
  });

  it('tests with the stored password while the mailbox, host and port are those it was saved for', () => {
    expect(integrationTestReadiness(details())).toMatchObject({ ready: true, id: saved.id, password: { kind: 'keep' } });
    const moved = run(details(), { type: 'edit', field: 'host', value: 'imap.elsewhere.example' });
    const readiness = integrationTestReadiness(moved);
    expect(readiness.ready ? '' : readiness.reason).toBe(
      'Save first, then use Change Password: the stored password is only sent to the mailbox, host and port it was saved for.',
    );
    // The same host in capitals is the same destination.
    expect(integrationTestReadiness(run(details(), { type: 'edit', field: 'host', value: 'IMAP.example.com' }))).toMatchObject({ ready: true });
  });

  it('asks for Change Password first when no password is stored', () => {
    const form = existingIntegrationForm({ ...saved, hasPassword: false });
    const readiness = form === null ? null : integrationTestReadiness(form);
    expect(readiness).toMatchObject({ ready: false, reason: 'Use Change Password first: no password is stored for this mailbox.' });
  });

  it('after Change Password, forgets the last result and says to test the new password', () => {
    const before = details();
    const { key } = integrationTestReadiness(before);
    const failed = run(before, { type: 'testFailed', key, error: { code: 'IMAP_AUTH_FAILED', message: 'The mail server did not accept the user name or password.' } });
    const changed = run(failed, { type: 'passwordChanged', view: saved });
    expect(shownIntegrationTest(changed, integrationTestReadiness(changed).key)).toEqual({ kind: 'idle' });
    expect(integrationTestReadiness(changed).key).not.toBe(key);
    expect(changed.notice).toBe('Password changed. Click Test Connection to check that the mail server accepts it.');
  });
});
