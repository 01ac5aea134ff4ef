import { describe, expect, it } from 'vitest';
import { notImportedAdvice, notImportedReason, notImportedTitle } from '../../../src/renderer/inbox/not-imported';
import type { InboxQuarantineEntry } from '../../../src/shared/inbox';

const entry = (patch: Partial<InboxQuarantineEntry>): InboxQuarantineEntry => ({
  inbox: 'lead', mailbox: 'INBOX', uidValidity: 1, uid: 7, size: 60 * 1024 * 1024, reason: 'tooLarge', detail: null, attempts: 1,
  firstSeenAt: '2026-11-30T09:00:00.000Z', lastAttemptAt: '2026-11-30T09:00:00.000Z', nextRetryAt: '2026-11-30T09:00:00.000Z', ...patch,
});

describe('“Not imported” under the records', () => {
  it('says how many, why each one, and only the advice that applies', () => {
    expect(notImportedTitle(1)).toBe('Not imported: 1 message');
    expect(notImportedTitle(3)).toBe('Not imported: 3 messages');
    expect(notImportedReason(entry({}))).toBe('Too large to import (60.0 MB).');
    expect(notImportedReason(entry({ reason: 'fetchFailed', detail: 'NO [SERVERBUG] Internal error', attempts: 2 }))).toMatch(/^The mail server would not send it \(“NO \[SERVERBUG\] Internal error”\)\. Tried 2 times; next try after /);
    expect(notImportedAdvice([entry({})])).toMatch(/too large .* delete it there\.$/);
    expect(notImportedAdvice([entry({})])).not.toMatch(/tried again on its own/);
    expect(notImportedAdvice([entry({ reason: 'fetchFailed' })])).toMatch(/tried again on its own/);
  });
});
