import { ErrorCode, type AppError } from '../../shared/errors';
import type { InboxSettings } from '../../shared/inbox';
import { mailboxNames, type InboxId } from '../../shared/mailboxes';
import { accountKeyOf } from './retrieval/account-key';

/** What an inbox's saved settings are compared with: the other mailboxes the app knows. */
export interface InboxNeighbours {
  readonly sendDirect: { readonly senderAddress: string; readonly userName: string } | null;
  /** Who Send Direct is signed in as with Modern Authentication, if it is. */
  readonly signedInAs: string | null;
  /** The other inbox's saved settings. */
  readonly otherInbox: { readonly inbox: InboxId; readonly settings: Pick<InboxSettings, 'serverName' | 'userName'> } | null;
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().length > 0 && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Seed 000's important note made specific: retrieval empties the mailbox, so the dialog warns when the
 * inbox reads someone's personal mailbox (Send Direct's sender, user or signed-in account), and when both
 * inboxes read one mailbox (each would get a share of its mail, at random).
 */
export function inboxWarnings(inbox: InboxId, settings: Pick<InboxSettings, 'serverName' | 'userName'>, neighbours: InboxNeighbours): AppError[] {
  const warnings: AppError[] = [];
  const personal = [neighbours.sendDirect?.senderAddress, neighbours.sendDirect?.userName, neighbours.signedInAs].find(
    (address): address is string => typeof address === 'string' && sameAddress(address, settings.userName),
  );
  if (personal !== undefined) {
    warnings.push({
      code: ErrorCode.InboxIsPersonalMailbox,
      message: `The ${mailboxNames[inbox]} reads ${settings.userName}, which is also the mailbox Send Direct sends from. Retrieval empties the mailbox: every message in it is removed from the server once it is kept as a record.`,
      fix: 'Use a generic mailbox for the inbox, such as sales@yourcompany.com or support@yourcompany.com, never a personal one.',
      fieldErrors: { userName: 'This is the mailbox Send Direct uses: retrieval would empty it.' },
    });
  }
  const other = neighbours.otherInbox;
  if (other && accountKeyOf(other.settings.serverName, other.settings.userName) === accountKeyOf(settings.serverName, settings.userName)) {
    warnings.push({
      code: ErrorCode.InboxesShareMailbox,
      message: `The ${mailboxNames[inbox]} and the ${mailboxNames[other.inbox]} read the same mailbox (${settings.userName} on ${settings.serverName}). Retrieval empties the mailbox, so each would take a random share of its mail.`,
      fix: `Give each inbox its own mailbox, for example sales@ for the ${mailboxNames.lead} and support@ for the ${mailboxNames.serviceDesk}.`,
      fieldErrors: { userName: `The ${mailboxNames[other.inbox]} reads this mailbox too.` },
    });
  }
  return warnings;
}
