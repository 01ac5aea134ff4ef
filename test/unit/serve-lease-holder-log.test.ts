import { describe, expect, it } from 'vitest';
import { ErrorCode, fail, ok, type AppError, type Result } from '../../src/shared/errors';
import type { InboxRunSummary } from '../../src/shared/inbox';
import { inboxRetrievalTask } from '../../src/main/service/inbox-retrieval-task';
import type { ServiceLog } from '../../src/main/service/service-log';

const summary: InboxRunSummary = {
  inbox: 'lead', finishedAt: '2026-11-24T10:00:00.000Z', retrieved: 0, alreadyStored: 0, expunged: 0, leftForLaterExpunge: 0, skippedDeletedByOthers: 0, warnings: [], error: null,
};

function heldBy(host: string, pid: number, since: string): Result<InboxRunSummary> {
  const error: AppError = {
    code: ErrorCode.RetrievalInProgress,
    message: `This mailbox is already being emptied by another installation (on ${host}, process ${pid}, since ${since}).`,
    heldBy: { host, pid, since },
  };
  return fail(error);
}

describe('serve while another installation empties the mailbox (shared records)', () => {
  it('says which installation holds it once per holder, not at every interval, and again after a run of its own', async () => {
    const lines: string[] = [];
    const at = (level: string) => (event: string, fields: object = {}) => lines.push(`${level} ${event} ${JSON.stringify(fields)}`);
    const log: ServiceLog = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
    const outcomes = [
      heldBy('crm-desk-7', 4242, '2026-11-24T10:00:00.000Z'),
      // The same process's next run: a lease taken again later, the same installation.
      heldBy('crm-desk-7', 4242, '2026-11-24T10:00:05.000Z'),
      heldBy('crm-desk-7', 4242, '2026-11-24T10:00:10.000Z'),
      // It died; another installation took over.
      heldBy('crm-desk-9', 77, '2026-11-24T10:01:00.000Z'),
      ok(summary),
      heldBy('crm-desk-9', 77, '2026-11-24T10:02:00.000Z'),
    ];
    let runs = 0;
    const task = inboxRetrievalTask('lead', 5_000, {
      isConfigured: () => true,
      awaitsFirstImportChoice: async () => false,
      checkNow: async () => outcomes[runs++] ?? ok(summary),
      retrievedSoFar: () => 0,
      log,
      timers: { now: () => 0 },
    });
    const signal = new AbortController().signal;
    for (let n = 0; n < outcomes.length; n += 1) expect(await task.run(signal)).toBe('succeeded');

    expect(lines.filter((line) => !line.startsWith('info retrieval started '))).toEqual([
      'info retrieval skipped: another installation empties this mailbox {"inbox":"lead","host":"crm-desk-7","pid":4242,"since":"2026-11-24T10:00:00.000Z"}',
      'info retrieval skipped: another installation empties this mailbox {"inbox":"lead","host":"crm-desk-9","pid":77,"since":"2026-11-24T10:01:00.000Z"}',
      expect.stringMatching(/^info retrieval finished /),
      'info retrieval skipped: another installation empties this mailbox {"inbox":"lead","host":"crm-desk-9","pid":77,"since":"2026-11-24T10:02:00.000Z"}',
    ]);
  });
});
