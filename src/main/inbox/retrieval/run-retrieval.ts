import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { fail, type Result } from '../../../shared/errors';
import { PostgresRecordsError } from '../../records/postgres/postgres-errors';
import { openRecordsStore, type RecordsStore } from '../../records/records-store';
import { parseInbound } from '../parse/parse-inbound';
import { isCleanStopPoint } from './clean-stop';
import { leaseTtlFrom } from './lease-ttl';
import { retrieveInbox } from './retrieve-inbox';
import type { RetrievalProgress, RetrievalRequest, RetrievalSummary } from './retrieval-types';
import { retrievalCancelled } from './worker-errors';

export interface RetrievalRun extends RetrievalRequest {
  readonly onProgress?: (progress: RetrievalProgress) => void | Promise<void>;
  /**
   * Stops the run at its next clean stop point (clean-stop.ts: never between a batch's commit and its
   * expunge); it then ends with RETRIEVAL_CANCELLED, having kept every batch whole or not at all.
   */
  readonly signal?: AbortSignal;
}

class StopRequested extends Error {}

/**
 * One retrieval with the real parts: the records database (the request's, else the data directory's),
 * imapflow, the inbound parser and the system clock. What the CLI, the worker thread and the tests' child
 * process run.
 */
export async function runRetrieval(run: RetrievalRun): Promise<Result<RetrievalSummary>> {
  const { onProgress, signal, ...request } = run;
  if (signal?.aborted) return fail(retrievalCancelled());
  let stopped = false;
  const now = (): Date => new Date();
  // A worker thread's environment is its parent's (worker_threads' default); `serve` refuses a value out of range at its start.
  const leaseTtl = leaseTtlFrom(process.env);
  let store: RecordsStore;
  try {
    store = await openRecordsStore(request.records ?? request.dataDir, now);
  } catch (error) {
    // A shared database that cannot be reached or refuses the user: its account, with the fix, as the run's result.
    if (error instanceof PostgresRecordsError) return fail(error.appError);
    throw error;
  }
  try {
    const result = await retrieveInbox(request, {
      records: store.inbox,
      quarantine: store.quarantine,
      counters: store.counters,
      // A database shared by several installations: one retriever per mailbox across them (a lease in it).
      ...(store.shared ? { leases: store.leases, ...(leaseTtl.ok ? { leaseTtlMs: leaseTtl.ms } : {}) } : {}),
      createClient: (options: ImapFlowOptions) => new ImapFlow(options),
      parse: parseInbound,
      now,
      onProgress: async (progress) => {
        await onProgress?.(progress);
        // Thrown from the progress hook, the stop unwinds the run as any failure does: the lock is
        // released, the session logged out, the database closed.
        if (signal?.aborted && isCleanStopPoint(progress)) {
          stopped = true;
          throw new StopRequested('The run was asked to stop');
        }
      },
    });
    return !result.ok && stopped ? fail(retrievalCancelled()) : result;
  } finally {
    await store.close();
  }
}
