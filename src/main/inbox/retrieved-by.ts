import { folderOf, type InboxSettings } from '../../shared/inbox';
import type { RetrievedBy } from '../../shared/retrieved-by';
import type { RecordsStore } from '../records/records-store';
import { imapUserFor } from '../accounts/imap-access';
import { installationOf, mailboxKeyOf } from './retrieval/mailbox-lease-keeper';

/** Which installation empties the mailbox with this key (retrieval/mailbox-lease-keeper.ts), or null. */
export type RetrievedByLookup = (mailboxKey: string) => Promise<RetrievedBy | null>;

/**
 * The user a run signs in to IMAP as, which its lease key names (retrieve-inbox.ts): on Modern
 * Authentication the rule of imap-access.ts (Gmail: the signed-in account, whatever Username says);
 * otherwise the Username.
 */
function runUserOf(saved: Pick<InboxSettings, 'authMethod' | 'userName' | 'sharedMailbox'>, signedInAs: string | null): string {
  if (saved.authMethod === 'password' || signedInAs === null) return saved.sharedMailbox?.trim() || saved.userName;
  return imapUserFor(saved.authMethod === 'oauth-google' ? 'google' : 'office365', saved, signedInAs);
}

/** The key of an inbox's mailbox, as its runs take the lease: server, the user it signs in as, folder. */
export function inboxMailboxKey(saved: Pick<InboxSettings, 'serverName' | 'authMethod' | 'userName' | 'sharedMailbox' | 'folder'>, signedInAs: string | null): string {
  return mailboxKeyOf(saved.serverName, runUserOf(saved, signedInAs), folderOf(saved));
}

/** The key of an Email Integration mailbox: each is emptied from its INBOX. */
export function integrationMailboxKey(saved: Pick<InboxSettings, 'serverName' | 'authMethod' | 'userName'>, signedInAs: string | null): string {
  return mailboxKeyOf(saved.serverName, runUserOf(saved, signedInAs), 'INBOX');
}

/**
 * The last holder of the mailbox's lease, said as "this computer" when its installation part (the first
 * word of the holder's id) is this data directory's. Only a shared records database has leases to read:
 * an installation of its own empties its mailboxes itself, and says nothing.
 */
export function retrievedByLookup(records: () => Promise<RecordsStore>, dataDir: string): RetrievedByLookup {
  return async (mailboxKey) => {
    const store = await records();
    if (!store.shared) return null;
    const last = await store.leases.lastHolderOf(mailboxKey);
    if (!last) return null;
    return { name: last.name, thisInstallation: last.holderId.split(' ')[0] === installationOf(dataDir), since: last.takenAt };
  };
}
