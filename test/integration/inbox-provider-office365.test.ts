import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { explainImapFailure, tryImapSignIn } from '../../src/main/inbox/imap-connection-test';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import type { RetrievalRequest } from '../../src/main/inbox/retrieval/retrieval-types';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { ErrorCode } from '../../src/shared/errors';
import type { Logger } from '../../src/main/log/logger';
import { startRefusingImapServer, throttledAnswer, type RefusalOptions, type RefusingImapServer } from '../testbed/throttling-imap-server';

/**
 * What Office 365 says and Dovecot cannot: throttling with a suggested wait, and a sign-in that does not
 * reach the mailbox. A small IMAP server on loopback says the words; the run must stop with its own
 * error each time, and a throttled run must carry the server's wait for the next scheduled run.
 */

const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, flush: async () => undefined };

let dataDir: string;
let records: RecordsStore;
let server: RefusingImapServer | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-o365-'));
  records = await openRecordsStore(dataDir);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await records.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function runAgainst(refusal: RefusalOptions) {
  server = await startRefusingImapServer(refusal);
  const request: RetrievalRequest = {
    inbox: 'lead',
    dataDir,
    connection: { host: '127.0.0.1', port: server.port, secure: false, doSTARTTLS: false, auth: { user: 'sales@example.test', pass: 'secret' }, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 },
    leadActivityType: 'Web Lead',
  };
  return retrieveInbox(request, { records: records.inbox, createClient: (options) => new ImapFlow(options), parse: parseInbound, now: () => new Date() });
}

describe('Office 365 throttling and refusals', () => {
  it('stops a throttled run with the server’s suggested wait, says when it retries, and keeps nothing', async () => {
    const started = Date.now();
    const result = await runAgainst({ at: 'select', answer: throttledAnswer(90_000) });
    // Stopped at once: the wait is the next run's, not this one's (imapflow alone would sit in it).
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: ErrorCode.Throttled, retryAfterMs: 90_000 });
    expect(result.error.fix).toMatch(/tries again on its own in 2 minutes/);
    // One connection only: the run does not hammer a server that asked it to wait.
    expect(server?.connections()).toBe(1);
    expect(await records.inbox.list({ inbox: 'lead', limit: 10 })).toEqual([]);
  });

  it('reads throttling at the sign-in as throttling, not as a wrong password', async () => {
    const result = await runAgainst({ at: 'login', answer: 'BAD Request is throttled. Suggested Backoff Time: 1500 ms' });
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.Throttled, retryAfterMs: 1_500 } });
  });

  it('Test Connection: a throttled sign-in or folder listing answers at once with the server’s wait, on one connection', async () => {
    for (const [at, folder] of [['login', 'INBOX'], ['list', 'Leads']] as const) {
      server = await startRefusingImapServer({ at, answer: throttledAnswer(60_000) });
      const settings = {
        serverName: '127.0.0.1', port: server.port, security: 'None' as const, userName: 'sales@example.test', authMethod: 'password' as const,
        allowInsecureAuth: true, folder, recordType: 'Web Lead', keepOnServer: false, checkEveryMinutes: 5,
      };
      const started = Date.now();
      const failure = await tryImapSignIn({ host: '127.0.0.1', port: server.port, secure: false, doSTARTTLS: false, auth: { user: 'sales@example.test', pass: 'secret' }, logger: false }, folder);
      const explained = await explainImapFailure(failure, settings as never, { trusted: () => null, logger: silentLogger });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(explained).toMatchObject({ code: ErrorCode.Throttled, retryAfterMs: 60_000 });
      expect(server.connections()).toBe(1);
      await server.close();
      server = undefined;
    }
  });

  it('says “authenticated but not connected” means the account or its permission, not the password', async () => {
    for (const at of ['login', 'select'] as const) {
      const result = await runAgainst({ at, answer: 'NO User is authenticated but not connected.' });
      expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.MailboxNotConnected } });
      if (!result.ok) expect(result.error.fix).toMatch(/IMAP\.AccessAsUser\.All/);
      await server?.close();
      server = undefined;
    }
  });
});
