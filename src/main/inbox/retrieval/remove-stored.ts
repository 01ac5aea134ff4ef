import type { ImapFlow } from 'imapflow';
import { expungeStored, type ExpungeOutcome, type ExpungeSteps } from './expunge-stored';
import { uidSet } from './uid-set';

/**
 * Where kept messages go on the server. Gmail (capability X-GM-EXT-1) treats an expunge from INBOX as
 * "remove the Inbox label": the message stays in All Mail for ever (Gmail Help, "Use IMAP to check
 * Gmail on other email clients"). Moving it to the mailbox with the \Trash special use (RFC 6154) is
 * what deletes it there (Gmail empties Trash after 30 days). That mailbox is found by its role, never
 * by name: its name depends on the account's language ("[Gmail]/Trash", "[Gmail]/Bin", "[Gmail]/Papierkorb").
 */
export type RemovalTarget =
  /** `archivesOnly`: Gmail without a \Trash mailbox over IMAP, where the expunge only archives. */
  | { readonly kind: 'expunge'; readonly archivesOnly?: boolean }
  | { readonly kind: 'trash'; readonly mailbox: string };

export async function removalTargetOf(client: ImapFlow): Promise<RemovalTarget> {
  if (!client.capabilities.has('X-GM-EXT-1')) return { kind: 'expunge' };
  const mailboxes = await client.list();
  // Only the server's own flag counts (imapflow also guesses special use from well-known names).
  const trash = mailboxes.find((mailbox) => mailbox.specialUse === '\\Trash' && mailbox.specialUseSource === 'extension');
  // Gmail shows Trash over IMAP unless the account's label settings hide it ("Show in IMAP").
  return trash ? { kind: 'trash', mailbox: trash.path } : { kind: 'expunge', archivesOnly: true };
}

/**
 * Removes exactly these kept messages from the opened mailbox: expunged (see expungeStored), or on
 * Gmail moved to Trash. MOVE (RFC 6851) moves exactly the listed UIDs in one step; without it, COPY
 * then the same careful expunge as everywhere else.
 */
export async function removeStored(
  client: ImapFlow,
  target: RemovalTarget,
  uids: readonly number[],
  isOurs: (uid: number) => boolean,
  steps: ExpungeSteps = {},
): Promise<ExpungeOutcome> {
  if (target.kind === 'expunge' || uids.length === 0) return expungeStored(client, uids, isOurs, steps);
  const range = uidSet(uids);
  if (client.capabilities.has('MOVE')) {
    if (!(await client.messageMove(range, target.mailbox, { uid: true }))) throw new Error(`The server refused to move messages ${range} to ${target.mailbox}`);
    return { expunged: uids, leftFlagged: [] };
  }
  if (!(await client.messageCopy(range, target.mailbox, { uid: true }))) throw new Error(`The server refused to copy messages ${range} to ${target.mailbox}`);
  return expungeStored(client, uids, isOurs, steps);
}
