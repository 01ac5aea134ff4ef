import { describe, expect, it } from 'vitest';
import { inboxConnectionReadiness } from '../../../src/renderer/inbox/inbox-connection';
import { inboxFormOf, inboxFormReducer, isInboxDirty, passwordToSend, validateInboxForSave, type InboxFormAction, type InboxFormState } from '../../../src/renderer/inbox/inbox-form-state';
import type { InboxView } from '../../../src/shared/inbox';

const empty: InboxView = { inbox: 'lead', settings: null, passwordStored: false, warnings: [] };
const savedWithPassword: InboxView = {
  inbox: 'lead',
  settings: { serverName: 'imap.example.com', userName: 'sales@example.com', authMethod: 'password', port: 993, security: 'tls', allowInsecureAuth: false, recordType: 'Web Lead' },
  passwordStored: true,
  warnings: [],
};
const signedOut = { status: null, username: null } as const;

const run = (view: InboxView, ...actions: InboxFormAction[]): InboxFormState => actions.reduce(inboxFormReducer, inboxFormOf(view));
const office365: InboxFormAction = { type: 'chooseAuthMethod', value: 'oauth-office365' };
const google: InboxFormAction = { type: 'chooseAuthMethod', value: 'oauth-google' };

describe('an inbox dialog with Modern Authentication (logic)', () => {
  it('fills in the provider’s IMAP server on SSL/TLS 993 when the Mail Server is empty or another provider’s', () => {
    expect(run(empty, office365).draft).toMatchObject({ authMethod: 'oauth-office365', serverName: 'outlook.office365.com', port: '993', security: 'tls' });
    const starttls = run(empty, { type: 'chooseSecurity', value: 'starttls' }, google);
    expect(starttls.draft).toMatchObject({ authMethod: 'oauth-google', serverName: 'imap.gmail.com', port: '993', security: 'tls' });
    expect(run(empty, office365, google).draft.serverName).toBe('imap.gmail.com');
    expect(run(empty, google, office365).draft.serverName).toBe('outlook.office365.com');
    expect(run(empty, { type: 'edit', field: 'serverName', value: ' IMAP.GMAIL.COM ' }, office365).draft.serverName).toBe('outlook.office365.com');
  });

  it('keeps a server of the user’s own, and a port the user typed', () => {
    expect(run(empty, { type: 'edit', field: 'serverName', value: '127.0.0.1' }, office365).draft).toMatchObject({ serverName: '127.0.0.1', port: '993', authMethod: 'oauth-office365' });
    const typedPort = run(empty, { type: 'chooseSecurity', value: 'starttls' }, { type: 'edit', field: 'port', value: '10143' }, office365);
    expect(typedPort.draft).toMatchObject({ serverName: 'outlook.office365.com', port: '10143', security: 'starttls' });
    // Back to Normal Password: nothing moves.
    expect(run(empty, office365, { type: 'chooseAuthMethod', value: 'password' }).draft).toMatchObject({ serverName: 'outlook.office365.com', authMethod: 'password' });
  });

  it('takes the signed-in mailbox as an empty Username, never over a typed one', () => {
    expect(run(empty, office365, { type: 'signedIn', username: 'sales@contoso.com' }).draft.userName).toBe('sales@contoso.com');
    expect(run(empty, office365, { type: 'edit', field: 'userName', value: 'leads@contoso.com' }, { type: 'signedIn', username: 'sales@contoso.com' }).draft.userName).toBe(
      'leads@contoso.com',
    );
  });

  it('saves an oauth inbox without a password, and never sends the stored one', () => {
    const form = run(savedWithPassword, { type: 'edit', field: 'serverName', value: '' }, office365);
    expect(isInboxDirty(form)).toBe(true);
    expect(passwordToSend(form)).toEqual({ kind: 'keep' });
    expect(validateInboxForSave(form)).toMatchObject({ ok: true, settings: { authMethod: 'oauth-office365', serverName: 'outlook.office365.com', port: 993 } });
  });

  it('runs Test Connection for an oauth inbox only with a live sign-in of its own', () => {
    const form = run(empty, office365, { type: 'edit', field: 'userName', value: 'sales@contoso.com' });
    expect(inboxConnectionReadiness(form, signedOut)).toMatchObject({ ready: false, reason: 'Sign in first, with the button above.' });
    expect(inboxConnectionReadiness(form, { status: 'needs-reauth', username: 'sales@contoso.com' })).toMatchObject({ ready: false, reason: expect.stringMatching(/^Re-authenticate first/) });
    expect(inboxConnectionReadiness(form, { status: 'signed-in', username: 'sales@contoso.com' })).toMatchObject({
      ready: true,
      password: { kind: 'keep' },
      settings: { authMethod: 'oauth-office365', serverName: 'outlook.office365.com' },
    });
    // A password inbox does not care about the sign-in.
    const password = run(savedWithPassword);
    expect(inboxConnectionReadiness(password, signedOut)).toMatchObject({ ready: true });
  });
});
