import { describe, expect, it } from 'vitest';
import { mailboxes, type AccountId, type AccountState, type AccountStatus } from '../../src/shared/accounts';
import { ErrorCode, fail, ok, type AppError, type Result } from '../../src/shared/errors';
import type { InboxRunSummary } from '../../src/shared/inbox';
import type { InboxId } from '../../src/shared/mailboxes';
import { accountCheckTask } from '../../src/main/service/account-check-task';
import { inboxRetrievalTask } from '../../src/main/service/inbox-retrieval-task';
import type { ServiceLog } from '../../src/main/service/service-log';

/** The log as lines "level event {fields}", to compare whole. */
function recordingLog(): { log: ServiceLog; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (event: string, fields: object = {}) => lines.push(`${level} ${event} ${JSON.stringify(fields)}`);
  return { log: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, lines };
}

const summary = (patch: Partial<InboxRunSummary> = {}): InboxRunSummary => ({
  inbox: 'lead', finishedAt: '2026-11-24T10:00:00.000Z', retrieved: 0, alreadyStored: 0, expunged: 0, leftForLaterExpunge: 0, skippedDeletedByOthers: 0, warnings: [], error: null, ...patch,
});

describe('the scheduled retrieval of an inbox', () => {
  function taskWith(outcomes: Array<Result<InboxRunSummary>>, configured: boolean[] = [true], awaitingChoice: boolean[] = [false]) {
    const { log, lines } = recordingLog();
    let clock = 0;
    let checks = 0;
    let looks = 0;
    let asks = 0;
    const task = inboxRetrievalTask('lead', 300_000, {
      isConfigured: () => configured[Math.min(looks++, configured.length - 1)] ?? true,
      awaitsFirstImportChoice: async () => awaitingChoice[Math.min(asks++, awaitingChoice.length - 1)] ?? false,
      checkNow: async (_inbox: InboxId) => {
        clock += 2_500;
        return outcomes[checks++] ?? ok(summary());
      },
      retrievedSoFar: () => 150,
      log,
      timers: { now: () => clock },
    });
    return { task, lines, signal: new AbortController().signal };
  }

  it('logs each run from start to end with its counts, and a warning of a run that succeeded', async () => {
    const warning: AppError = { code: ErrorCode.Internal, message: 'Another program removed 2 messages.', fix: 'Let one program empty the mailbox.' };
    const { task, lines, signal } = taskWith([ok(summary({ retrieved: 7, expunged: 7, warnings: [warning] }))]);
    expect(await task.run(signal)).toBe('succeeded');
    expect(lines).toEqual([
      'info retrieval started {"inbox":"lead"}',
      'info retrieval finished {"inbox":"lead","retrieved":7,"already_stored":0,"expunged":7,"left_for_later":0,"skipped_deleted_by_others":0,"duration":"2.5s"}',
      'warn retrieval warning {"inbox":"lead","error":"INTERNAL","message":"Another program removed 2 messages.","fix":"Let one program empty the mailbox."}',
    ]);
  });

  it('logs a failed run with its code, message and fix and when it is tried again, and reports it failed', async () => {
    const refused: AppError = { code: ErrorCode.ConnectionRefused, message: 'The server refused the connection.', fix: 'Check the port.' };
    const { task, lines, signal } = taskWith([fail(refused)]);
    expect(await task.run(signal)).toBe('failed');
    expect(lines.at(-1)).toBe('error retrieval failed {"inbox":"lead","error":"CONNECTION_REFUSED","message":"The server refused the connection.","fix":"Check the port.","duration":"2.5s","next_try":"in 5m"}');
  });

  it('a failure that says when to try again (throttling) is retried no sooner, and the log says when', async () => {
    const throttled = { code: ErrorCode.Throttled, message: 'Too many requests.', retryAfterMs: 900_000 } as AppError;
    const { task, lines, signal } = taskWith([fail(throttled)]);
    expect(await task.run(signal)).toEqual({ retryAfterMs: 900_000 });
    expect(lines.at(-1)).toContain('"next_try":"in 15m"');
  });

  it('a stopped run says what it kept; a run refused because another is going on is no failure', async () => {
    const { task, lines, signal } = taskWith([
      fail({ code: ErrorCode.RetrievalCancelled, message: 'The retrieval was stopped before it finished.' }),
      fail({ code: ErrorCode.RetrievalInProgress, message: 'This inbox is already being emptied by another run.' }),
    ]);
    expect(await task.run(signal)).toBe('succeeded');
    expect(await task.run(signal)).toBe('succeeded');
    expect(lines.filter((line) => !line.includes('retrieval started'))).toEqual([
      'info retrieval stopped: every batch was kept whole or left on the server {"inbox":"lead","retrieved":150,"duration":"2.5s"}',
      'info retrieval skipped: another run is emptying this inbox {"inbox":"lead","message":"This inbox is already being emptied by another run."}',
    ]);
  });

  it('leaves a full mailbox alone while the first connection’s question is unanswered, saying so once', async () => {
    const { task, lines, signal } = taskWith([ok(summary({ retrieved: 3, expunged: 3 }))], [true], [true, true, false]);
    for (let n = 0; n < 3; n += 1) expect(await task.run(signal)).toBe('succeeded');
    expect(lines.map((line) => line.slice(0, line.indexOf(' {')))).toEqual([
      'info inbox not checked until someone answers the first connection’s question: Import all, or Only mail arriving from now on',
      'info first connection answered: checked from now on',
      'info retrieval started',
      'info retrieval finished',
    ]);
  });

  it('skips an inbox that is not set up, saying so once, and again when it is set up', async () => {
    const { task, lines, signal } = taskWith([], [false, false, true]);
    for (let n = 0; n < 3; n += 1) await task.run(signal);
    expect(lines).toEqual([
      'info inbox not set up: not checked until it is {"inbox":"lead","setup":"mail-settings configure lead"}',
      'info inbox set up: checked from now on {"inbox":"lead"}',
      'info retrieval started {"inbox":"lead"}',
      expect.stringMatching(/^info retrieval finished /),
    ]);
  });
});

describe('the re-authentication checks', () => {
  const grantExpired: AppError = { code: ErrorCode.GrantExpired, message: 'The sign-in has expired.', fix: 'Click “Re-authenticate Now” and sign in again.' };
  const state = (mailbox: AccountId, status: AccountStatus): AccountState => ({
    mailbox, status, provider: 'google', username: 'sales@example.test', lastRefreshedAt: null, reason: status === 'needs-reauth' ? grantExpired : null,
  });

  it('checks the signed-in mailboxes only; a dead grant is a warning with what to do, once, and its return is told', async () => {
    const { log, lines } = recordingLog();
    const statuses: Partial<Record<AccountId, AccountStatus>> = { lead: 'signed-in' };
    const answers: AccountStatus[] = ['needs-reauth', 'needs-reauth', 'signed-in'];
    const checked: AccountId[] = [];
    const task = accountCheckTask(900_000, {
      statusOf: (mailbox) => statuses[mailbox] ?? null,
      accountIds: () => mailboxes,
      check: async (mailbox) => {
        checked.push(mailbox);
        return ok(state(mailbox, answers.shift() ?? 'signed-in'));
      },
      log,
    });
    const signal = new AbortController().signal;
    for (let n = 0; n < 3; n += 1) expect(await task.run(signal)).toBe('succeeded');
    expect(checked).toEqual(['lead', 'lead', 'lead']);
    expect(lines).toEqual([
      'warn re-authentication needed: mail is not sent or fetched for this mailbox until then {"mailbox":"lead","error":"GRANT_EXPIRED","message":"The sign-in has expired.","fix":"Click “Re-authenticate Now” and sign in again.","advice":"Open Mail Settings and click “Re-authenticate Now”, or run mail-settings sign-in lead --provider google"}',
      'info signed in again {"mailbox":"lead"}',
    ]);
  });

  it('a check that could not be made is a warning and a failed run; none begins once stopping', async () => {
    const { log, lines } = recordingLog();
    const task = accountCheckTask(900_000, {
      statusOf: () => 'signed-in',
      accountIds: () => mailboxes,
      check: async () => fail({ code: ErrorCode.IdentityProviderUnreachable, message: 'The identity provider did not answer.' }),
      log,
    });
    expect(await task.run(new AbortController().signal)).toBe('failed');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('warn account check failed: trying again at the next check {"mailbox":"send","error":"IDENTITY_PROVIDER_UNREACHABLE","message":"The identity provider did not answer."}');
    const stopped = new AbortController();
    stopped.abort();
    expect(await task.run(stopped.signal)).toBe('succeeded');
    expect(lines).toHaveLength(3);
  });
});
