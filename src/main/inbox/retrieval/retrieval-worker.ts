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

if (!parentPort) throw new Error('retrieval-worker.ts runs as a worker thread (see run-in-worker.ts)');
const caller = parentPort;
const post = (message: FromRetrievalWorker): void => caller.postMessage(message);

const stop = new AbortController();
caller.on('message', (message: ToRetrievalWorker) => {
  if (message.kind === 'cancel') stop.abort();
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
    // The run stops at its next clean stop point (clean-stop.ts): a batch is kept and removed from the
    // server whole, or left on the server whole. Every step between two such points is short (one
    // message, or one commit and its expunge).
    signal: stop.signal,
    onProgress: (progress) => post({ kind: 'progress', progress }),
  });
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
