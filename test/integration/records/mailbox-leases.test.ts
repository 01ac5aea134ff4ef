import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeaseHolder, MailboxLease } from '../../../src/main/records/mailbox-leases';
import { recordsAdapters, type OpenedRecords } from '../../support/records-adapters';

const mailboxKey = 'imap.example.test/sales@example.test/INBOX';
const desk1: LeaseHolder = { id: 'installation-1 run-a', host: 'crm-desk-1', pid: 4101 };
const desk2: LeaseHolder = { id: 'installation-2 run-b', host: 'crm-desk-2', pid: 4202 };
const minute = 60_000;

/** The lease `holder` took, failing the test if it was refused. */
function takenBy(attempt: Awaited<ReturnType<OpenedRecords['store']['leases']['take']>>): MailboxLease {
  if (!attempt.taken) throw new Error(`expected the lease to be taken, it is held by ${attempt.heldBy.holder.host}`);
  return attempt.lease;
}

describe.each(recordsAdapters)('the mailbox leases ($name)', (adapter) => {
  let records: OpenedRecords;
  beforeEach(async () => {
    records = await adapter.open();
  });
  afterEach(() => records.close());

  it('takes a free lease, shows who holds it and since when, and refuses another holder while it is live', async () => {
    const { leases } = records.store;
    expect(await leases.holderOf(mailboxKey)).toBeNull();
    const lease = takenBy(await leases.take(mailboxKey, desk1, minute));
    expect(lease).toMatchObject({ mailboxKey, holder: desk1 });
    const expiresInMs = Date.parse(lease.expiresAt) - Date.parse(lease.takenAt);
    expect(expiresInMs).toBeGreaterThan(minute - 1_000);
    expect(expiresInMs).toBeLessThanOrEqual(minute + 1_000);
    expect(await leases.holderOf(mailboxKey)).toEqual(lease);

    // Another installation on the same records: refused, told who holds it.
    const other = await records.openAgain();
    try {
      expect(await other.leases.take(mailboxKey, desk2, minute)).toEqual({ taken: false, heldBy: lease });
      // Another mailbox is free.
      expect(takenBy(await other.leases.take(`${mailboxKey}.Archive`, desk2, minute)).holder).toEqual(desk2);
    } finally {
      await other.close();
    }
    // The holder itself takes it again (a renewal by another name), keeping when it took it.
    expect(takenBy(await leases.take(mailboxKey, desk1, minute)).takenAt).toBe(lease.takenAt);
  });

  it('is taken over once it expires unrenewed; the old holder’s renewal then fails and its release leaves the new lease', async () => {
    const { leases } = records.store;
    const dead = takenBy(await leases.take(mailboxKey, desk1, 300));
    expect(await leases.take(mailboxKey, desk2, minute)).toMatchObject({ taken: false });
    await sleep(500);
    expect(await leases.holderOf(mailboxKey)).toBeNull();
    const taken = takenBy(await leases.take(mailboxKey, desk2, minute));
    expect(taken.holder).toEqual(desk2);
    expect(Date.parse(taken.takenAt)).toBeGreaterThan(Date.parse(dead.takenAt));

    expect(await leases.renew(dead, minute)).toBe(false);
    await leases.release(dead);
    expect(await leases.holderOf(mailboxKey)).toEqual(taken);
  });

  it('renews its own lease, which then outlives its first expiry', async () => {
    const { leases } = records.store;
    const lease = takenBy(await leases.take(mailboxKey, desk1, 400));
    await sleep(200);
    expect(await leases.renew(lease, minute)).toBe(true);
    await sleep(400);
    expect(await leases.holderOf(mailboxKey)).toMatchObject({ holder: desk1, takenAt: lease.takenAt });
    expect(await leases.take(mailboxKey, desk2, minute)).toMatchObject({ taken: false, heldBy: { holder: desk1 } });
  });

  it('releases only one’s own lease: after it, anyone takes the mailbox at once', async () => {
    const { leases } = records.store;
    const lease = takenBy(await leases.take(mailboxKey, desk1, minute));
    // A release by another holder (a stale copy of the lease) changes nothing.
    await leases.release({ ...lease, holder: desk2 });
    expect(await leases.holderOf(mailboxKey)).toEqual(lease);
    await leases.release(lease);
    expect(await leases.holderOf(mailboxKey)).toBeNull();
    expect(await leases.renew(lease, minute)).toBe(false);
    expect(takenBy(await leases.take(mailboxKey, desk2, minute)).holder).toEqual(desk2);
  });

  it('gives the lease to exactly one of several installations taking it at once', async () => {
    const others = await Promise.all([records.openAgain(), records.openAgain(), records.openAgain()]);
    try {
      const holders = others.map((_, n): LeaseHolder => ({ id: `installation-${n} run`, host: `crm-desk-${n}`, pid: 5000 + n }));
      const attempts = await Promise.all(others.map((store, n) => store.leases.take(mailboxKey, holders[n]!, minute)));
      const winners = attempts.flatMap((attempt) => (attempt.taken ? [attempt.lease] : []));
      expect(winners).toHaveLength(1);
      for (const attempt of attempts) if (!attempt.taken) expect(attempt.heldBy).toEqual(winners[0]);
    } finally {
      await Promise.all(others.map((store) => store.close()));
    }
  });
});
