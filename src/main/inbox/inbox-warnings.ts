import { ErrorCode, type AppError } from '../../shared/errors';
import { mailboxReadBy, type InboxSettings } from '../../shared/inbox';
import { mailboxNames, type InboxId } from '../../shared/mailboxes';
import { accountKeyOf } from './retrieval/account-key';

/** What an inbox's saved settings are compared with: the other mailboxes the app knows. */
export interface InboxNeighbours {
  readonly sendDirect: { readonly senderAddress: string; readonly userName: string } | null;
  /** Who Send Direct is signed in as with Modern Authentication, if it is. */
  readonly signedInAs: string | null;
  /** The other inbox's saved settings. */
  readonly otherInbox: { readonly inbox: InboxId; readonly settings: WarnedSettings } | null;
}

/** What the warnings look at: the server, and the mailbox read there (a shared mailbox's address, or the Username's own). */
type WarnedSettings = Pick<InboxSettings, 'serverName' | 'userName' | 'sharedMailbox'>;

function sameAddress(a: string, b: string): boolean {
  return a.trim().length > 0 && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Seed 000's important note made specific: retrieval empties the mailbox, so the dialog warns when the
 * inbox reads someone's personal mailbox (Send Direct's sender, user or signed-in account), and when both
 * inboxes read one mailbox (each would get a share of its mail, at random).
 */
export function inboxWarnings(inbox: InboxId, settings: WarnedSettings, neighbours: InboxNeighbours): AppError[] {
  const warnings: AppError[] = [];
  // A shared mailbox is read with a member's sign-in: the member may well be Send Direct's, the shared
  // address is what gets emptied.
  const mailbox = mailboxReadBy(settings);
  const mailboxField = settings.sharedMailbox === undefined ? 'userName' : 'sharedMailbox';
  const personal = [neighbours.sendDirect?.senderAddress, neighbours.sendDirect?.userName, neighbours.signedInAs].find(
    (address): address is string => typeof address === 'string' && sameAddress(address, mailbox),
  );
  if (personal !== undefined) {
    warnings.push({
      code: ErrorCode.InboxIsPersonalMailbox,
      message: `The ${mailboxNames[inbox]} reads ${mailbox}, which is also the mailbox Send Direct sends from. Retrieval empties the mailbox: every message in it is removed from the server once it is kept as a record.`,
      fix: 'Use a generic mailbox for the inbox, such as sales@yourcompany.com or support@yourcompany.com, never a personal one.',
      fieldErrors: { [mailboxField]: 'This is the mailbox Send Direct uses: retrieval would empty it.' },
    });
  }
  const other = neighbours.otherInbox;
  if (other && accountKeyOf(other.settings.serverName, mailboxReadBy(other.settings)) === accountKeyOf(settings.serverName, mailbox)) {
    warnings.push({
      code: ErrorCode.InboxesShareMailbox,
      message: `The ${mailboxNames[inbox]} and the ${mailboxNames[other.inbox]} read the same mailbox (${mailbox} on ${settings.serverName}). Retrieval empties the mailbox, so each would take a random share of its mail.`,
      fix: `Give each inbox its own mailbox, for example sales@ for the ${mailboxNames.lead} and support@ for the ${mailboxNames.serviceDesk}.`,
      fieldErrors: { [mailboxField]: `The ${mailboxNames[other.inbox]} reads this mailbox too.` },
    });
  }
  return warnings;
}
