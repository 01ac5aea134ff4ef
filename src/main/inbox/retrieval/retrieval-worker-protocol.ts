import type { MessagePort } from 'node:worker_threads';
import type { Result } from '../../../shared/errors';
import type { RetrievalProgress, RetrievalRequest, RetrievalSummary } from './retrieval-types';

/**
 * What the caller (run-in-worker.ts) and the retrieval worker thread (retrieval-worker.ts) say to each
 * other. Everything here crosses threads by structured clone: plain data only, no functions.
 */

export interface RetrievalWorkerData {
  /** The run, its connection options without `tls.checkServerIdentity` (a function cannot cross threads). */
  readonly request: RetrievalRequest;
  /** Present when the caller's connection checks the server's identity itself (a pinned certificate). */
  readonly serverIdentity: ServerIdentityChannel | null;
}

/** How the worker asks the caller's `checkServerIdentity` during a TLS handshake (server-identity-bridge.ts). */
export interface ServerIdentityChannel {
  readonly port: MessagePort;
  /** One Int32: 0 while a question is open, 1 once the answer is on `port`. */
  readonly answered: SharedArrayBuffer;
}

export type FromRetrievalWorker =
  | { readonly kind: 'progress'; readonly progress: RetrievalProgress }
  | { readonly kind: 'result'; readonly result: Result<RetrievalSummary> };

/** Stop at the run's next clean stop point (clean-stop.ts): never between a batch's commit and its expunge. */
export type ToRetrievalWorker = { readonly kind: 'cancel' };
