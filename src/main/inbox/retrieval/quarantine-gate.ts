import { ErrorCode, type AppError } from '../../../shared/errors';
import type { InboxQuarantine, QuarantinedMessage } from '../../records/inbox-quarantine';
import type { MailboxLocation } from '../../records/inbox-records';
import type { ListedMessage } from './plan-batches';
import { waitText } from '../server-throttling';
import { retryDelayMs } from './quarantine-backoff';

/** Issue 11's limit for a message taken from an inbox: larger ones are left on the server and listed. */
export const defaultMaxMessageBytes = 50 * 1024 * 1024;

/**
 * A run's quarantine: which listed messages are fetched now, which stay on the server and why. A message
 * over the size limit is recognised from RFC822.SIZE before a byte of it is fetched, and checked again
 * every run (raising the limit releases it). A message whose fetch failed waits out its back-off. Either
 * way the messages after it go on.
 */
export interface QuarantineGate {
  /** The described messages to fetch now; the others are held. */
  screen(described: readonly ListedMessage[]): Promise<ListedMessage[]>;
  /** The server would not serve this message: held, tried again after a back-off. */
  fetchFailed(message: ListedMessage, detail: string): Promise<void>;
  /** These messages are kept now: whatever held them is gone. */
  kept(uids: readonly number[]): Promise<void>;
  /** Messages this run left on the server. */
  readonly notImported: () => number;
  /** "Not imported: N messages", with the reasons and what to do; null when every message went in. */
  readonly warning: () => AppError | null;
}

export async function quarantineGate(
  store: InboxQuarantine | undefined,
  location: MailboxLocation,
  listedUids: ReadonlySet<number>,
  maxMessageBytes: number,
  now: () => Date,
): Promise<QuarantineGate> {
  await store?.keepOnly(location, listedUids);
  const held = (await store?.held(location)) ?? new Map<number, QuarantinedMessage>();
  const left = new Map<number, QuarantinedMessage | { readonly reason: QuarantinedMessage['reason']; readonly size: number | null; readonly nextRetryAt: string }>();
  const hold = async (message: ListedMessage, reason: QuarantinedMessage['reason'], detail: string | null): Promise<void> => {
    const retryAfter = (attempts: number): Date => new Date(now().getTime() + (reason === 'tooLarge' ? 0 : retryDelayMs(attempts)));
    const entry = (await store?.hold(location, { uid: message.uid, reason, size: message.size, detail, retryAfter })) ?? { reason, size: message.size, nextRetryAt: retryAfter(1).toISOString() };
    left.set(message.uid, entry);
  };
  return {
    screen: async (described) => {
      const toFetch: ListedMessage[] = [];
      for (const message of described) {
        if (message.size > maxMessageBytes) {
          await hold(message, 'tooLarge', null);
          continue;
        }
        const waiting = held.get(message.uid);
        if (waiting?.reason === 'fetchFailed' && Date.parse(waiting.nextRetryAt) > now().getTime()) {
          left.set(message.uid, waiting);
          continue;
        }
        toFetch.push(message);
      }
      return toFetch;
    },
    fetchFailed: (message, detail) => hold(message, 'fetchFailed', detail),
    kept: async (uids) => {
      const released = uids.filter((uid) => held.has(uid));
      if (released.length > 0) await store?.release(location, released);
    },
    notImported: () => left.size,
    warning: () => (left.size === 0 ? null : notImportedWarning([...left.values()], maxMessageBytes, now())),
  };
}

function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))} MB`;
}

function notImportedWarning(
  left: ReadonlyArray<{ readonly reason: QuarantinedMessage['reason']; readonly size: number | null; readonly nextRetryAt: string }>,
  maxMessageBytes: number,
  now: Date,
): AppError {
  const tooLarge = left.filter((m) => m.reason === 'tooLarge');
  const failing = left.filter((m) => m.reason === 'fetchFailed');
  const nextRetry = Math.min(...failing.map((m) => Date.parse(m.nextRetryAt)));
  const reasons = [
    ...(tooLarge.length > 0 ? [`${tooLarge.length} larger than the ${megabytes(maxMessageBytes)} limit (${tooLarge.map((m) => megabytes(m.size ?? 0)).join(', ')})`] : []),
    ...(failing.length > 0 ? [`${failing.length} the mail server would not send (next try in ${waitText(nextRetry - now.getTime())})`] : []),
  ];
  const fixes = [
    ...(tooLarge.length > 0 ? ['Open the mailbox in your mail program and save or forward a message that is too large by hand, then delete it there.'] : []),
    ...(failing.length > 0 ? ['A message the server would not send is tried again on its own, less often after each failure; if it keeps failing, open it in your mail program.'] : []),
  ];
  return {
    code: ErrorCode.MessagesQuarantined,
    message: `Not imported: ${left.length} message${left.length === 1 ? '' : 's'}, left on the server: ${reasons.join('; ')}. The other messages were imported.`,
    fix: `Nothing is lost: these messages stay in the mailbox. ${fixes.join(' ')}`,
  };
}
