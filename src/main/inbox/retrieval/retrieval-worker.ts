/**
 * The retrieval worker thread's entry (built as out/main/retrieval-worker.js; started by run-in-worker.ts).
 * It runs one retrieval (IMAP streaming, parsing, the synchronous SQLite commits) off the caller's thread,
 * posts each progress event and then the result, and ends: nothing is left running, so the thread exits
 * on its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ErrorCode, fail, type Result } from '../../../shared/errors';
import type { FromRetrievalWorker, RetrievalWorkerData, ToRetrievalWorker } from './retrieval-worker-protocol';
import type { RetrievalSummary } from './retrieval-types';
import { runRetrieval } from './run-retrieval';
import { askServerIdentity } from './server-identity-bridge';
import { retrievalCancelled } from './worker-errors';

class CancelRequested extends Error {}

if (!parentPort) throw new Error('retrieval-worker.ts runs as a worker thread (see run-in-worker.ts)');
const caller = parentPort;
const post = (message: FromRetrievalWorker): void => caller.postMessage(message);

let cancelRequested = false;
caller.on('message', (message: ToRetrievalWorker) => {
  if (message.kind === 'cancel') cancelRequested = true;
});
// The run's own work keeps the thread alive; the caller's port must not once the run is over.
caller.unref();

const { request, serverIdentity } = workerData as RetrievalWorkerData;
const connection = serverIdentity
  ? { ...request.connection, tls: { ...request.connection.tls, checkServerIdentity: askServerIdentity(serverIdentity) } }
  : request.connection;

let result: Result<RetrievalSummary>;
try {
  result = await runRetrieval({
    ...request,
    connection,
    onProgress: (progress) => {
      post({ kind: 'progress', progress });
      // Stopping by throwing from the progress hook unwinds the run as any failure does: the batch in
      // hand is committed or never begun, the lock is released, the session logged out, the database
      // closed. Every step between two events is short (one message, one commit, one expunge).
      if (cancelRequested) throw new CancelRequested('The run was cancelled');
    },
  });
  if (!result.ok && cancelRequested) result = fail(retrievalCancelled());
} catch (error) {
  // runRetrieval reports a run's failures as a Result; what it throws (the records database cannot be
  // opened, a bug) is reported the same way, never as a crash of the thread.
  result = fail({
    code: ErrorCode.Internal,
    message: `Retrieval failed: ${error instanceof Error ? error.message : String(error)}`,
    fix: 'Try again; if it keeps failing, send the log file to your IT team.',
  });
}
post({ kind: 'result', result });
serverIdentity?.port.close();
