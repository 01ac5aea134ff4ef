import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInboxCredentials } from '../../src/main/inbox/inbox-credentials';
import { inboxWarnings, type InboxNeighbours } from '../../src/main/inbox/inbox-warnings';
import { SecretRegistry } from '../../src/main/log/redact';
import { ErrorCode, fail, ok, type AppError } from '../../src/shared/errors';
import { openConfSettings } from '../../src/main/settings/settings-store';
import { inboxFormOf, inboxFormReducer, validateInboxForSave, type InboxFormAction, type InboxFormState } from '../../src/renderer/inbox/inbox-form-state';
import { fieldErrorsOf } from '../../src/shared/field-errors';
import { inboxSettingsSchema, mailboxReadBy, type InboxSettings, type InboxSettingsInput, type InboxView } from '../../src/shared/inbox';

/** An Office 365 inbox read by a member of the shared mailbox sales@. */
const member: InboxSettingsInput = {
  serverName: 'outlook.office365.com',
  userName: 'ann@example.com',
  authMethod: 'oauth-office365',
  port: 993,
  security: 'tls',
  allowInsecureAuth: false,
  sharedMailbox: 'sales@example.com',
  recordType: 'Web Lead',
};

function messagesOf(input: unknown): Record<string, string> {
  const parsed = inboxSettingsSchema.safeParse(input);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

describe('an inbox’s shared mailbox setting', () => {
  it('is optional, so settings saved before it existed still parse and read the Username’s mailbox', () => {
    const { sharedMailbox: _none, ...older } = member;
    const parsed = inboxSettingsSchema.parse(older);
    expect(parsed.sharedMailbox).toBeUndefined();
    expect(mailboxReadBy(parsed)).toBe('ann@example.com');
  });

  it('is the mailbox read when set, trimmed', () => {
    const parsed = inboxSettingsSchema.parse({ ...member, sharedMailbox: '  sales@example.com ' });
    expect(parsed.sharedMailbox).toBe('sales@example.com');
    expect(mailboxReadBy(parsed)).toBe('sales@example.com');
  });

  it('must be an email address', () => {
    expect(messagesOf({ ...member, sharedMailbox: '' })).toEqual({ sharedMailbox: 'Enter the address of the shared mailbox, for example sales@yourcompany.com.' });
    expect(messagesOf({ ...member, sharedMailbox: 'sales' })).toEqual({ sharedMailbox: 'This is not an email address. It should look like sales@yourcompany.com.' });
  });

  it('goes with Office 365’s Modern Authentication only: a password or a Google token opens no other mailbox', () => {
    for (const authMethod of ['password', 'oauth-google'] as const) {
      expect(messagesOf({ ...member, authMethod })).toEqual({
        sharedMailbox: 'A shared mailbox is read with “Modern Authentication (OAuth 2.0) - Office 365”: choose it as the Authentication method.',
      });
    }
  });

  it('needs a member as the Username: the shared mailbox cannot sign in itself', () => {
    expect(messagesOf({ ...member, userName: 'Sales@Example.com' })).toEqual({ userName: 'Enter the address of the member who signs in: the shared mailbox has no sign-in of its own.' });
  });
});

describe('the settings file', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-unit-shared-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps the shared mailbox across reopening, and reads an inbox saved without one', async () => {
    const settings = inboxSettingsSchema.parse(member);
    openConfSettings(dataDir).setMailbox('lead', settings);
    expect(openConfSettings(dataDir).getMailbox('lead')).toEqual(settings);
    expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')).mailboxes.lead.sharedMailbox).toBe('sales@example.com');

    const file = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
    delete file.mailboxes.lead.sharedMailbox;
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify(file));
    expect(openConfSettings(dataDir).getMailbox('lead')).toEqual({ ...settings, sharedMailbox: undefined });
  });
});

describe('the inbox warnings', () => {
  const settings = inboxSettingsSchema.parse(member) as InboxSettings;
  const none: InboxNeighbours = { sendDirect: null, signedInAs: null, otherInbox: null };

  it('do not call a shared mailbox personal because its member sends with Send Direct', () => {
    const neighbours: InboxNeighbours = { ...none, sendDirect: { senderAddress: 'ann@example.com', userName: 'ann@example.com' }, signedInAs: 'ann@example.com' };
    expect(inboxWarnings('lead', settings, neighbours)).toEqual([]);
  });

  it('warn when Send Direct sends from the shared address itself', () => {
    const neighbours: InboxNeighbours = { ...none, sendDirect: { senderAddress: 'sales@example.com', userName: 'ann@example.com' } };
    expect(inboxWarnings('lead', settings, neighbours)).toEqual([
      expect.objectContaining({ code: 'INBOX_IS_PERSONAL_MAILBOX', message: expect.stringContaining('reads sales@example.com'), fieldErrors: { sharedMailbox: expect.any(String) } }),
    ]);
  });

  it('compare the shared addresses of both inboxes, not their members', () => {
    const otherMailbox = { inbox: 'serviceDesk' as const, settings: { ...settings, sharedMailbox: 'support@example.com' } };
    expect(inboxWarnings('lead', settings, { ...none, otherInbox: otherMailbox })).toEqual([]);
    const sameMailbox = { inbox: 'serviceDesk' as const, settings: { serverName: 'outlook.office365.com', userName: 'sales@example.com', sharedMailbox: undefined } };
    expect(inboxWarnings('lead', settings, { ...none, otherInbox: sameMailbox })).toEqual([
      expect.objectContaining({ code: 'INBOXES_SHARE_MAILBOX', message: expect.stringContaining('(sales@example.com on outlook.office365.com)') }),
    ]);
  });
});

describe('the dialog’s “This is a shared mailbox” (logic)', () => {
  const empty: InboxView = { inbox: 'lead', settings: null, passwordStored: false, warnings: [] };
  const run = (view: InboxView, ...actions: InboxFormAction[]): InboxFormState => actions.reduce(inboxFormReducer, inboxFormOf(view));
  const office365: InboxFormAction = { type: 'chooseAuthMethod', value: 'oauth-office365' };

  it('saves the shared address with the member as the Username once ticked, and nothing once unticked', () => {
    const ticked = run(empty, office365, { type: 'chooseSharedMailbox', value: true }, { type: 'edit', field: 'sharedMailbox', value: 'sales@example.com' }, { type: 'signedIn', username: 'ann@example.com' });
    expect(validateInboxForSave(ticked)).toMatchObject({ ok: true, settings: { userName: 'ann@example.com', sharedMailbox: 'sales@example.com', authMethod: 'oauth-office365' } });
    const unticked = inboxFormReducer(ticked, { type: 'chooseSharedMailbox', value: false });
    expect(unticked.draft.sharedMailbox).toBe('');
    const result = validateInboxForSave(unticked);
    expect(result.ok && result.settings.sharedMailbox).toBeUndefined();
  });

  it('asks for the address when ticked and left empty', () => {
    const ticked = run(empty, { type: 'edit', field: 'userName', value: 'ann@example.com' }, office365, { type: 'chooseSharedMailbox', value: true });
    expect(validateInboxForSave(ticked)).toEqual({ ok: false, errors: { sharedMailbox: 'Enter the address of the shared mailbox, for example sales@yourcompany.com.' } });
  });

  it('makes whoever signs in the Username of a shared mailbox, where a plain inbox keeps the one typed', () => {
    const typed = run(empty, office365, { type: 'edit', field: 'userName', value: 'sales@example.com' });
    expect(inboxFormReducer(typed, { type: 'signedIn', username: 'ann@example.com' }).draft.userName).toBe('sales@example.com');
    const shared = inboxFormReducer(typed, { type: 'chooseSharedMailbox', value: true });
    expect(inboxFormReducer(shared, { type: 'signedIn', username: 'ann@example.com' }).draft.userName).toBe('ann@example.com');
  });

  it('is not sent with another authentication method, even if it was ticked before', () => {
    const actions: InboxFormAction[] = [
      office365,
      { type: 'chooseSharedMailbox', value: true },
      { type: 'edit', field: 'sharedMailbox', value: 'sales@example.com' },
      { type: 'chooseAuthMethod', value: 'oauth-google' },
      { type: 'edit', field: 'userName', value: 'ann@example.com' },
    ];
    const google = run(empty, ...actions);
    expect(google.draft.sharedMailboxChosen).toBe(true);
    const result = validateInboxForSave(google);
    expect(result).toMatchObject({ ok: true, settings: { authMethod: 'oauth-google' } });
    expect(result.ok && result.settings.sharedMailbox).toBeUndefined();
  });
});

describe('a refused sign-in to a shared mailbox', () => {
  const settings = inboxSettingsSchema.parse(member);
  const tokenRefused: AppError = { code: ErrorCode.ImapAuthFailed, message: 'The mail server did not accept the sign-in token (it may have expired or been revoked).' };
  const notConnected: AppError = { code: ErrorCode.MailboxNotConnected, message: 'Office 365 accepted the sign-in but not for this mailbox.' };
  const grantExpired: AppError = { code: ErrorCode.GrantExpired, message: 'Your sign-in has expired.' };

  /** The member's sign-in, alive or not; counts the forced refreshes. */
  function credentials(signIn: 'alive' | 'dead') {
    const refreshes: boolean[] = [];
    const explain = createInboxCredentials({
      settings: { getMailbox: () => null },
      secrets: { get: async () => null },
      secretRegistry: new SecretRegistry(),
      imapAccess: {
        imapAccessFor: async (_inbox, _connection, options = {}) => {
          refreshes.push(options.forceRefresh === true);
          return signIn === 'alive' ? ok({ user: 'sales@example.com', accessToken: 'fresh' }) : fail(grantExpired);
        },
        signedInAs: async () => 'ann@example.com',
      },
    });
    return { explain: explain.explainRefusal, refreshes };
  }
  const noAccess = 'ann@example.com has no access to sales@example.com: ask your Office 365 admin to grant Full Access.';

  it('says the member has no access once a forced refresh shows the sign-in is alive', async () => {
    const { explain, refreshes } = credentials('alive');
    expect(await explain('lead', settings, tokenRefused)).toMatchObject({ code: 'IMAP_AUTH_FAILED', message: noAccess });
    expect(refreshes).toEqual([true]);
  });

  it('gives the sign-in’s own reason when the refresh shows it is dead', async () => {
    expect(await credentials('dead').explain('lead', settings, tokenRefused)).toEqual(grantExpired);
  });

  it('reads Office 365’s “authenticated but not connected” as no access, without a refresh, keeping its code', async () => {
    const { explain, refreshes } = credentials('dead');
    const explained = await explain('lead', settings, notConnected);
    expect(explained).toMatchObject({ code: 'MAILBOX_NOT_CONNECTED', message: noAccess, fix: expect.stringContaining('check that IMAP is enabled for sales@example.com') });
    expect(refreshes).toEqual([]);
  });

  it('leaves other inboxes’ refusals, and other failures, as they are', async () => {
    const { explain, refreshes } = credentials('alive');
    const { sharedMailbox: _none, ...own } = settings;
    expect(await explain('lead', own, tokenRefused)).toBe(tokenRefused);
    const lost: AppError = { code: ErrorCode.ConnectionLost, message: 'The connection was lost.' };
    expect(await explain('lead', settings, lost)).toBe(lost);
    expect(refreshes).toEqual([]);
  });
});
