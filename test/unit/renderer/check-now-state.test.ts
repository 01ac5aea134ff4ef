import { describe, expect, it } from 'vitest';
import { checkNowReducer, describeProgress, describeRunResult, initialCheckNowState, runDetails } from '../../../src/renderer/inbox/check-now-state';
import type { InboxRunSummary } from '../../../src/shared/inbox';

const summary = (patch: Partial<InboxRunSummary> = {}): InboxRunSummary => ({
  inbox: 'lead',
  finishedAt: '2026-11-24T10:00:00.000Z',
  retrieved: 3,
  alreadyStored: 0,
  expunged: 3,
  leftForLaterExpunge: 0,
  skippedDeletedByOthers: 0,
  warnings: [],
  error: null,
  ...patch,
});

describe('Check now (logic)', () => {
  it('says how much was downloaded beside n of N, once anything was', () => {
    expect(describeProgress({ inbox: 'lead', phase: 'storing', total: 120, retrieved: 50, downloadedBytes: 3_456_789 })).toBe('Keeping messages as records: 50 of 120 (3.5 MB downloaded).');
    expect(describeProgress({ inbox: 'lead', phase: 'storing', total: 2, retrieved: 1, downloadedBytes: 2_000 })).toBe('Keeping messages as records: 1 of 2 (< 0.1 MB downloaded).');
    expect(describeProgress({ inbox: 'lead', phase: 'storing', total: 2, retrieved: 0, downloadedBytes: 0 })).toBe('Keeping messages as records: 0 of 2.');
    expect(describeProgress({ inbox: 'lead', phase: 'removing', total: 120, retrieved: 50, downloadedBytes: 3_456_789 })).toBe('Removing the kept messages from the server (50 of 120 kept, 3.5 MB downloaded).');
  });

  it('shows main’s progress while its own run goes, then the result', () => {
    let state = checkNowReducer(initialCheckNowState, { type: 'started' });
    expect(describeProgress(state.kind === 'running' ? state.progress : null)).toBe('Connecting to the mailbox…');
    state = checkNowReducer(state, { type: 'progress', progress: { inbox: 'lead', phase: 'storing', total: 9, retrieved: 4 } });
    expect(state.kind === 'running' && describeProgress(state.progress)).toBe('Keeping messages as records: 4 of 9.');
    state = checkNowReducer(state, { type: 'finished', summary: summary() });
    expect(state).toMatchObject({ kind: 'finished', summary: { retrieved: 3 } });
  });

  it('shows the progress of a run it did not start (the schedule, IDLE) until the inbox’s last run changes', () => {
    const progress = { inbox: 'lead', phase: 'storing', total: 9, retrieved: 2 } as const;
    let state = checkNowReducer({ kind: 'finished', summary: summary() }, { type: 'progress', progress });
    expect(state).toEqual({ kind: 'runningElsewhere', progress });
    state = checkNowReducer(state, { type: 'progress', progress: { ...progress, retrieved: 5 } });
    expect(state.kind === 'runningElsewhere' && describeProgress(state.progress)).toBe('Keeping messages as records: 5 of 9.');
    expect(checkNowReducer(state, { type: 'lastRunChanged' })).toEqual({ kind: 'idle' });
    // The dialog's own run is not ended by it: its result comes with the answer to Check now.
    expect(checkNowReducer({ kind: 'running', progress }, { type: 'lastRunChanged' })).toEqual({ kind: 'running', progress });
  });

  it('treats a run that ended with an error as failed, with main’s message and fix', () => {
    const error = { code: 'IMAP_AUTH_FAILED' as const, message: 'No.', fix: 'Check the password.' };
    expect(checkNowReducer({ kind: 'running', progress: null }, { type: 'finished', summary: summary({ retrieved: 0, error }) })).toEqual({ kind: 'failed', error });
  });

  it('counts in words, one or many, and says only what happened', () => {
    expect(describeRunResult(summary({ retrieved: 1 }))).toBe('1 record created.');
    expect(describeRunResult(summary({ retrieved: 0, expunged: 0 }))).toBe('No new messages: the mailbox was empty.');
    expect(runDetails(summary())).toEqual(['3 messages removed from the server.']);
    expect(runDetails(summary({ retrieved: 0, alreadyStored: 1, expunged: 0, leftForLaterExpunge: 2, skippedDeletedByOthers: 1 }))).toEqual([
      '1 message had been kept by an earlier check and was not kept again.',
      '2 kept messages stay marked as deleted on the server until the next check.',
      '1 message marked as deleted by another program was left alone.',
    ]);
  });
});
