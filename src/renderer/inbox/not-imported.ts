import type { InboxQuarantineEntry } from '../../shared/inbox';

/** "Not imported: 2 messages". */
export function notImportedTitle(count: number): string {
  return `Not imported: ${count} message${count === 1 ? '' : 's'}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Why one message is still on the server, in a user's words. */
export function notImportedReason(entry: InboxQuarantineEntry): string {
  switch (entry.reason) {
    case 'tooLarge':
      return `Too large to import${entry.size === null ? '' : ` (${megabytes(entry.size)})`}.`;
    case 'fetchFailed':
      return `The mail server would not send it${entry.detail ? ` (“${entry.detail}”)` : ''}. Tried ${entry.attempts} time${entry.attempts === 1 ? '' : 's'}; next try after ${new Date(entry.nextRetryAt).toLocaleString()}.`;
  }
}

/** What to do about the messages listed, one sentence per reason present. */
export function notImportedAdvice(entries: readonly InboxQuarantineEntry[]): string {
  const advice = ['They stay in the mailbox on the server and do not hold up the other messages.'];
  if (entries.some((e) => e.reason === 'tooLarge')) advice.push('Open a message that is too large in your mail program, save or forward what it holds, then delete it there.');
  if (entries.some((e) => e.reason === 'fetchFailed')) advice.push('A message the server would not send is tried again on its own; if it keeps failing, open it in your mail program.');
  return advice.join(' ');
}
