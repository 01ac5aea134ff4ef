import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imapClientOptions, retrievalTimeouts, testConnectionTimeouts } from '../../src/main/inbox/imap-client-options';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { retrieveInbox } from '../../src/main/inbox/retrieval/retrieve-inbox';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { ErrorCode } from '../../src/shared/errors';

/**
 * A retrieval never waits on a server without an end: every connection it opens has a connect, a greeting
 * and a silence timeout (the integration test inbox-retrieval-restart shows them ending runs against a
 * stopped and a silent Dovecot).
 */

const timeoutNames = ['connectionTimeout', 'greetingTimeout', 'socketTimeout'] as const;

describe('the IMAP client options of an inbox', () => {
  it('bound every wait of a retrieval, at most two minutes each', () => {
    const options = imapClientOptions({ serverName: 'imap.example.test', port: 993, security: 'tls' }, { user: 'sales@example.test', pass: 'secret' }, null);
    for (const name of timeoutNames) {
      expect(options[name], name).toBe(retrievalTimeouts[name]);
      expect(retrievalTimeouts[name], name).toBeGreaterThan(0);
      expect(retrievalTimeouts[name], name).toBeLessThanOrEqual(120_000);
    }
    // Test Connection puts its own shorter waits over them.
    const tested = { ...options, ...testConnectionTimeouts };
    expect(tested.connectionTimeout).toBeLessThanOrEqual(retrievalTimeouts.connectionTimeout);
    expect(tested.socketTimeout).toBeLessThanOrEqual(retrievalTimeouts.socketTimeout);
  });
});

describe('a retrieval given connection options without timeouts', () => {
  let dataDir: string;
  let records: RecordsStore;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-client-options-'));
    records = await openRecordsStore(dataDir);
  });
  afterEach(async () => {
    await records.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('opens its connection with the retrieval timeouts', async () => {
    // A closed loopback port: the real client fails at once, after being built with the options.
    const port = await closedPort();
    const built: ImapFlowOptions[] = [];
    const result = await retrieveInbox(
      { inbox: 'lead', dataDir, connection: { host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user: 'u', pass: 'p' } }, leadActivityType: 'Web Lead' },
      {
        records: records.inbox,
        createClient: (options) => {
          built.push(options);
          return new ImapFlow(options);
        },
        parse: parseInbound,
        now: () => new Date(),
      },
    );
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.ConnectionRefused } });
    expect(built).toHaveLength(1);
    for (const name of timeoutNames) expect(built[0]?.[name], name).toBe(retrievalTimeouts[name]);
  });
});

/** A loopback port nothing listens on (bound, read, released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
