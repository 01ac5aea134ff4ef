import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LeaseHolder } from '../../../src/main/records/mailbox-leases';
import { recordsAdapters, type OpenedRecords } from '../../support/records-adapters';

const leadInbox = { serverName: 'imap.example.test', userName: 'leads@example.test', recordType: 'Web Lead' };
const mailboxKey = 'imap.example.test/leads@example.test/INBOX';
const desk1: LeaseHolder = { id: 'installation-1 run-a', host: 'crm-desk-1', pid: 4101, name: 'crm-desk-1 (Mail Settings)' };
const desk2: LeaseHolder = { id: 'installation-2 run-b', host: 'crm-desk-2', pid: 4202 };

describe.each(recordsAdapters)('the shared settings and the last lease holder ($name)', (adapter) => {
  let records: OpenedRecords;
  beforeEach(async () => {
    records = await adapter.open();
  });
  afterEach(() => records.close());

  it('writes a value only on the revision it was made on, so a stale copy cannot undo a newer one', async () => {
    const { sharedSettings } = records.store;
    expect(await sharedSettings.read(['mailboxes.lead'])).toEqual([]);
    const first = await sharedSettings.write('mailboxes.lead', leadInbox, 0, 'desk 1');
    expect(first).toMatchObject({ written: true });
    const revision = first.written ? first.revision : -1;

    const other = await records.openAgain();
    try {
      // Another installation that never saw revision 1 is refused, and told what is there now.
      expect(await other.sharedSettings.write('mailboxes.lead', { ...leadInbox, recordType: 'Email Sent' }, 0, 'desk 2')).toMatchObject({
        written: false,
        current: { key: 'mailboxes.lead', value: leadInbox, revision, updatedBy: 'desk 1' },
      });
      const second = await other.sharedSettings.write('mailboxes.lead', { ...leadInbox, recordType: 'Email Sent' }, revision, 'desk 2');
      expect(second).toMatchObject({ written: true });
      expect(second.written && second.revision).toBeGreaterThan(revision);
    } finally {
      await other.close();
    }
    expect(await sharedSettings.write('mailboxes.lead', leadInbox, revision, 'desk 1')).toMatchObject({ written: false });
    expect(await sharedSettings.read(['mailboxes.lead', 'integrations'])).toMatchObject([{ key: 'mailboxes.lead', value: { recordType: 'Email Sent' }, updatedBy: 'desk 2' }]);
  });

  it('lists what changed after a revision, whatever the key', async () => {
    const { sharedSettings } = records.store;
    const lead = await sharedSettings.write('mailboxes.lead', leadInbox, 0, 'desk 1');
    await sharedSettings.write('integrations', { credentials: {}, aliases: {} }, 0, 'desk 1');
    expect((await sharedSettings.changedSince(0)).map((row) => row.key)).toEqual(['mailboxes.lead', 'integrations']);
    expect((await sharedSettings.changedSince(lead.written ? lead.revision : -1)).map((row) => row.key)).toEqual(['integrations']);
  });

  it('remembers who last took a mailbox’s lease after it is released, by name, and the next holder after that', async () => {
    const { leases } = records.store;
    expect(await leases.lastHolderOf(mailboxKey)).toBeNull();
    const taken = await leases.take(mailboxKey, desk1, 60_000);
    if (!taken.taken) throw new Error('the lease was refused');
    await leases.release(taken.lease);
    expect(await leases.holderOf(mailboxKey)).toBeNull();
    expect(await leases.lastHolderOf(mailboxKey)).toEqual({ holderId: desk1.id, name: desk1.name, takenAt: taken.lease.takenAt });
    // A holder without a name is called by its host.
    await leases.take(mailboxKey, desk2, 60_000);
    expect(await leases.lastHolderOf(mailboxKey)).toMatchObject({ holderId: desk2.id, name: desk2.host });
  });
});
