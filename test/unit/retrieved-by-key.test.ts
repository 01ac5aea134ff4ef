import { describe, expect, it } from 'vitest';
import { inboxMailboxKey, integrationMailboxKey } from '../../src/main/inbox/retrieved-by';
import type { InboxSettings } from '../../src/shared/inbox';

/**
 * "Retrieved by" reads the lease a run took under the user it signed in to IMAP as (retrieve-inbox.ts,
 * imap-access.ts): the key it looks up must name that same user, or the dialog says nothing.
 */

type KeyedSettings = Pick<InboxSettings, 'serverName' | 'authMethod' | 'userName' | 'sharedMailbox' | 'folder'>;
const base: KeyedSettings = { serverName: 'IMAP.Example.com', authMethod: 'password', userName: 'Leads@Example.com', sharedMailbox: undefined, folder: undefined } as KeyedSettings;

describe('the mailbox key "Retrieved by" looks up', () => {
  it('a password inbox: its Username, server and folder, in lower case', () => {
    expect(inboxMailboxKey(base, null)).toBe('imap.example.com/leads@example.com/INBOX');
  });

  it('Gmail on Modern Authentication: the signed-in account, whatever Username says', () => {
    expect(inboxMailboxKey({ ...base, serverName: 'imap.gmail.com', authMethod: 'oauth-google', userName: 'typed.here@example.com' }, 'sales.team@gmail.com')).toBe(
      'imap.gmail.com/sales.team@gmail.com/INBOX',
    );
  });

  it('Office 365: the shared mailbox it opens, else its Username, else the signed-in member', () => {
    const office = { ...base, serverName: 'outlook.office365.com', authMethod: 'oauth-office365' } as const;
    expect(inboxMailboxKey({ ...office, sharedMailbox: 'sales@example.com' }, 'anna@example.com')).toBe('outlook.office365.com/sales@example.com/INBOX');
    expect(inboxMailboxKey({ ...office, userName: '' }, 'anna@example.com')).toBe('outlook.office365.com/anna@example.com/INBOX');
  });

  it('an Email Integration mailbox on Gmail: the signed-in account, in its INBOX', () => {
    expect(integrationMailboxKey({ serverName: 'imap.gmail.com', authMethod: 'oauth-google', userName: 'typed@example.com' }, 'support@gmail.com')).toBe('imap.gmail.com/support@gmail.com/INBOX');
  });
});
