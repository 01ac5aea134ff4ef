import type { MailboxCounters } from '../../records/mailbox-counters';
import type { MailboxLocation } from '../../records/inbox-records';

/**
 * What a run takes from the mailbox, and whether it may remove anything there.
 * - Emptying the mailbox (the default): every message, each removed once kept.
 * - "Leave messages on the server": only messages above the mailbox counter (the highest UID kept from
 *   this mailbox and UIDVALIDITY), never flagged or removed; the counter moves up after each batch is
 *   on disk. A run that dies before moving it reads those messages again, and the records recognise
 *   them (UID, or Message-ID + sha256): the counter only saves work, it never decides what is doubled.
 */
export interface RunSelection {
  readonly removesFromServer: boolean;
  /** A batch's transaction moves the mailbox counter up to the UIDs it kept (InboxRecords.storeBatch). */
  readonly raisesCounter: boolean;
  /** The listed UIDs this run looks at. */
  wanted(listed: readonly number[]): Promise<number[]>;
  /** These UIDs are kept already (by an earlier run): the counter moves past them. */
  kept(uids: readonly number[]): Promise<void>;
}

const emptyTheMailbox: RunSelection = {
  removesFromServer: true,
  raisesCounter: false,
  wanted: async (listed) => [...listed],
  kept: async () => undefined,
};

/**
 * `storedUids`: the UIDs of this mailbox the records hold, between two UIDs. With a counter, an inbox
 * that empties the mailbox leaves the messages at or below it alone ("Only mail arriving from now on":
 * older mail stays on the server untouched), except those the records hold already (kept while the inbox
 * left messages on the server), which it removes as usual.
 */
export async function runSelectionFor(
  keepOnServer: boolean,
  counters: MailboxCounters | undefined,
  location: MailboxLocation,
  storedUids: (from: number, to: number) => Promise<ReadonlySet<number>>,
): Promise<RunSelection> {
  const above = (await counters?.highestUid(location)) ?? null;
  if (!counters || above === null) {
    return keepOnServer && counters ? keepingAbove(0, counters, location) : emptyTheMailbox;
  }
  if (keepOnServer) return keepingAbove(above, counters, location);
  return {
    removesFromServer: true,
    raisesCounter: true,
    wanted: async (listed) => {
      const first = listed[0];
      const stored = first !== undefined && first <= above ? await storedUids(first, above) : new Set<number>();
      return listed.filter((uid) => uid > above || stored.has(uid));
    },
    kept: (uids) => raise(counters, location, uids),
  };
}

function keepingAbove(above: number, counters: MailboxCounters, location: MailboxLocation): RunSelection {
  return {
    removesFromServer: false,
    raisesCounter: true,
    wanted: async (listed) => listed.filter((uid) => uid > above),
    kept: (uids) => raise(counters, location, uids),
  };
}

async function raise(counters: MailboxCounters, location: MailboxLocation, uids: readonly number[]): Promise<void> {
  if (uids.length > 0) await counters.raise(location, Math.max(...uids));
}
