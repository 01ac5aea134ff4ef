import { ErrorCode, type AppError } from '../../../shared/errors';

/** Messages vanished during the run that this run did not remove: someone else is emptying the mailbox. */
export function anotherProgramWarning(vanished: number): AppError {
  return {
    code: ErrorCode.MailboxSharedWithAnotherProgram,
    message: `${vanished} message${vanished === 1 ? '' : 's'} disappeared from the mailbox during retrieval: another program is reading this mailbox and removing messages from it.`,
    fix: 'Two programs must not empty one mailbox: each would get only a share of the mail. Stop the other program (another Mail Settings installation, a mail client set to delete from the server, a rule) or give this inbox a mailbox of its own.',
  };
}

/** No UIDPLUS, and another program's \Deleted messages are there: ours stay marked until a later run. */
export function expungeDeferredWarning(left: number): AppError {
  return {
    code: ErrorCode.ExpungeDeferred,
    message: `${left} retrieved message${left === 1 ? ' stays' : 's stay'} in the mailbox, marked deleted: this server can only remove all deleted messages at once, and another program has marked other messages deleted there.`,
    fix: 'Nothing is lost or doubled: the records already have them, and a later run removes them once the other messages are gone. To remove them now, empty the deleted messages in the other program (or ask the server admin for the UIDPLUS extension).',
  };
}

/** Gmail, with its Trash hidden from IMAP: what we removed from INBOX is archived in All Mail, not deleted. */
export function gmailArchivedWarning(archived: number): AppError {
  return {
    code: ErrorCode.GmailTrashNotShown,
    message: `Gmail kept ${archived} retrieved message${archived === 1 ? '' : 's'} in All Mail: this account shows no Trash folder over IMAP, so removing ${archived === 1 ? 'it' : 'them'} from the inbox only archived ${archived === 1 ? 'it' : 'them'}.`,
    fix: 'In Gmail, open Settings › Labels and tick "Show in IMAP" for Trash (Bin): later runs then move retrieved mail there. The records are complete either way.',
  };
}
