import { describe, expect, it } from 'vitest';
import type { MailboxLocation } from '../../src/main/records/inbox-records';
import type { MailboxCounters } from '../../src/main/records/mailbox-counters';
import { runSelectionFor } from '../../src/main/inbox/retrieval/keep-on-server';

/** One inbox's counter, in memory: the logic of what a run looks at, not the database (see the integration tests). */
function countersWith(initial: number | null): MailboxCounters & { value(): number | null } {
  let counter = initial;
  return {
    value: () => counter,
    highestUid: async () => counter,
    raise: async (_location, uid) => {
      if (uid > (counter ?? 0)) counter = uid;
    },
    set: async (_location, uid) => {
      counter = uid;
    },
    reset: async () => {
      const had = counter !== null;
      counter = null;
      return had;
    },
    has: async () => counter !== null,
  };
}

const location: MailboxLocation = { inbox: 'lead', accountKey: 'imap.example.com/sales@example.com', mailbox: 'INBOX', uidValidity: 7 };
const noneStored = async (): Promise<ReadonlySet<number>> => new Set();

describe('what a run looks at, and whether it removes', () => {
  it('empties the whole mailbox by default, with or without the counters', async () => {
    for (const counters of [undefined, countersWith(null)]) {
      const selection = await runSelectionFor(false, counters, location, noneStored);
      expect(selection.removesFromServer).toBe(true);
      expect(selection.raisesCounter).toBe(false);
      expect(await selection.wanted([3, 4, 9])).toEqual([3, 4, 9]);
    }
  });

  it('leaving messages on the server: everything the first time, then only above the counter, which follows what is kept', async () => {
    const counters = countersWith(null);
    const first = await runSelectionFor(true, counters, location, noneStored);
    expect(first.removesFromServer).toBe(false);
    expect(first.raisesCounter).toBe(true);
    expect(await first.wanted([3, 4, 9])).toEqual([3, 4, 9]);
    await first.kept([3, 4]);
    await first.kept([9]);
    expect(counters.value()).toBe(9);
    expect(await (await runSelectionFor(true, counters, location, noneStored)).wanted([3, 4, 9, 10, 12])).toEqual([10, 12]);
  });

  it('“from now on” while emptying the mailbox: older mail is left alone, except what the records hold already', async () => {
    const counters = countersWith(9);
    const storedAsked: Array<[number, number]> = [];
    const selection = await runSelectionFor(false, counters, location, async (from, to) => {
      storedAsked.push([from, to]);
      return new Set([4]);
    });
    expect(selection.removesFromServer).toBe(true);
    expect(selection.raisesCounter).toBe(true);
    expect(await selection.wanted([3, 4, 9, 10])).toEqual([4, 10]);
    expect(storedAsked).toEqual([[3, 9]]);
  });
});
