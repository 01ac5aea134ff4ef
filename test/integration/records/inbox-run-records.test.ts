import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxRunSummary } from '../../../src/shared/inbox';
import { recordsAdapters, type OpenedRecords } from '../../support/records-adapters';

function run(inbox: InboxRunSummary['inbox'], finishedAt: string, retrieved: number): InboxRunSummary {
  return { inbox, finishedAt, retrieved, alreadyStored: 0, expunged: retrieved, leftForLaterExpunge: 0, skippedDeletedByOthers: 0, notImported: 0, warnings: [], error: null };
}

describe.each(recordsAdapters)('each inbox’s runs and first-import question ($name)', (adapter) => {
  let records: OpenedRecords;
  beforeEach(async () => {
    records = await adapter.open({ now: () => new Date('2026-11-29T10:00:00Z') });
  });
  afterEach(() => records.close());

  it('gives the last run of each inbox, whoever ran it, and keeps giving it after reopening', async () => {
    const { inboxRuns } = records.store;
    expect(await inboxRuns.last('lead')).toBeNull();
    await inboxRuns.add(run('lead', '2026-11-29T10:00:00.000Z', 1));
    await inboxRuns.add(run('serviceDesk', '2026-11-29T10:01:00.000Z', 5));
    const other = await records.openAgain();
    try {
      await other.inboxRuns.add(run('lead', '2026-11-29T10:02:00.000Z', 2));
    } finally {
      await other.close();
    }
    expect(await inboxRuns.last('lead')).toEqual(run('lead', '2026-11-29T10:02:00.000Z', 2));
    expect(await inboxRuns.last('serviceDesk')).toEqual(run('serviceDesk', '2026-11-29T10:01:00.000Z', 5));
  });

  it('keeps the first-import question open per inbox until it is answered, asked twice or not', async () => {
    const { firstImportQuestions } = records.store;
    expect(await firstImportQuestions.isOpen('lead')).toBe(false);
    await firstImportQuestions.ask('lead');
    await firstImportQuestions.ask('lead');
    expect(await firstImportQuestions.isOpen('lead')).toBe(true);
    expect(await firstImportQuestions.isOpen('serviceDesk')).toBe(false);
    const other = await records.openAgain();
    try {
      expect(await other.firstImportQuestions.isOpen('lead')).toBe(true);
      await other.firstImportQuestions.answer('lead');
    } finally {
      await other.close();
    }
    expect(await firstImportQuestions.isOpen('lead')).toBe(false);
  });
});
