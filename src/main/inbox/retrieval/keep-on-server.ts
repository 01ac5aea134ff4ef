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
  /** The listed UIDs this run looks at. */
  wanted(listed: readonly number[]): number[];
  /** A batch is on disk: its UIDs are kept. */
  kept(uids: readonly number[]): void;
}

const emptyTheMailbox: RunSelection = {
  removesFromServer: true,
  wanted: (listed) => [...listed],
  kept: () => undefined,
};

/**
 * `storedUids`: the UIDs of this mailbox the records hold, between two UIDs. With a counter, an inbox
 * that empties the mailbox leaves the messages at or below it alone ("Only mail arriving from now on":
 * older mail stays on the server untouched), except those the records hold already (kept while the inbox
 * left messages on the server), which it removes as usual.
 */
export function runSelectionFor(
  keepOnServer: boolean,
  counters: MailboxCounters | undefined,
  location: MailboxLocation,
  storedUids: (from: number, to: number) => ReadonlySet<number>,
): RunSelection {
  const above = counters?.highestUid(location) ?? null;
  if (!counters || above === null) {
    return keepOnServer && counters ? keepingAbove(0, counters, location) : emptyTheMailbox;
  }
  if (keepOnServer) return keepingAbove(above, counters, location);
  return {
    removesFromServer: true,
    wanted: (listed) => {
      const first = listed[0];
      const stored = first !== undefined && first <= above ? storedUids(first, above) : new Set<number>();
      return listed.filter((uid) => uid > above || stored.has(uid));
    },
    kept: (uids) => raise(counters, location, uids),
  };
}

function keepingAbove(above: number, counters: MailboxCounters, location: MailboxLocation): RunSelection {
  return {
    removesFromServer: false,
    wanted: (listed) => listed.filter((uid) => uid > above),
    kept: (uids) => raise(counters, location, uids),
  };
}

function raise(counters: MailboxCounters, location: MailboxLocation, uids: readonly number[]): void {
  if (uids.length > 0) counters.raise(location, Math.max(...uids));
}
