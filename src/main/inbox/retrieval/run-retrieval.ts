import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Result } from '../../../shared/errors';
import { inboxRecordsOn } from '../../records/inbox-records';
import { openRecordsDatabase } from '../../records/records-database';
import { parseInbound } from '../parse/parse-inbound';
import { retrieveInbox } from './retrieve-inbox';
import type { RetrievalProgress, RetrievalRequest, RetrievalSummary } from './retrieval-types';

export interface RetrievalRun extends RetrievalRequest {
  readonly onProgress?: (progress: RetrievalProgress) => void | Promise<void>;
}

/**
 * One retrieval with the real parts: the records database in the data directory, imapflow, the inbound
 * parser and the system clock. What the CLI, the worker thread and the tests' child process run.
 */
export async function runRetrieval(run: RetrievalRun): Promise<Result<RetrievalSummary>> {
  const { onProgress, ...request } = run;
  const db = await openRecordsDatabase(request.dataDir);
  try {
    const now = (): Date => new Date();
    return await retrieveInbox(request, {
      records: inboxRecordsOn(db, now),
      createClient: (options: ImapFlowOptions) => new ImapFlow(options),
      parse: parseInbound,
      now,
      ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    db.close();
  }
}
