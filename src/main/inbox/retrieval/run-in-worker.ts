import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { fail, type AppError, type Result } from '../../../shared/errors';
import { releaseLockOfDeadWorker } from './dead-worker-lock';
import type { FromRetrievalWorker, RetrievalWorkerData, ToRetrievalWorker } from './retrieval-worker-protocol';
import { builtWorkerPlaces, locateRetrievalWorker, type RetrievalWorkerEntry } from './retrieval-worker-location';
import type { RetrievalProgress, RetrievalRequest, RetrievalSummary } from './retrieval-types';
import type { RetrievalRun } from './run-retrieval';
import { answerServerIdentity } from './server-identity-bridge';
import { retrievalCancelled, retrievalWorkerFailed, retrievalWorkerUnavailable } from './worker-errors';

export interface WorkerRunOptions {
  /**
   * Each progress event, in order, as the worker posts it. The worker does not wait for it (a returned
   * promise is not awaited); a handler that throws or rejects stops the run, as it would on one thread.
   */
  readonly onProgress?: (progress: RetrievalProgress) => void | Promise<void>;
  /**
   * Stops the run: at its next clean stop point (clean-stop.ts), or, if it has not stopped `cancelGraceMs`
   * later, by terminating the thread; either way the result is an error and nothing is half-kept.
   */
  readonly signal?: AbortSignal;
  /** Default 10 s; 0 terminates the thread at once. */
  readonly cancelGraceMs?: number;
  /** The worker's heap limits (Node's Worker resourceLimits), over workerHeapLimits. */
  readonly resourceLimits?: ResourceLimits;
  /** How the thread ended: its exit code, and whether it had to be terminated. For tests and diagnostics. */
  readonly onExit?: (exit: { readonly exitCode: number; readonly terminated: boolean }) => void;
}

const defaultCancelGraceMs = 10_000;
/**
 * A young generation of 8 MB instead of V8's default (up to 3 × 16 MB semi-spaces on 64-bit): a run
 * allocates fast (every message is socket chunks, then a Buffer, then decoded parts) and V8 would grow
 * the young generation to its maximum, about 25 MB more resident memory for no measurable speed-up
 * (`npm run bench:retrieval`: the same CPU time either way).
 */
const workerHeapLimits: ResourceLimits = { maxYoungGenerationSizeMb: 8 };
/** A worker that posted its result and is still there this much later left something running: terminated. */
const exitGraceMs = 5_000;

/** The lock files that a worker run of this process may hold (see releaseLockOfDeadWorker). */
const runsInFlight = new Map<string, number>();

/**
 * Runs one retrieval (retrieval-worker.ts → runRetrieval) on a worker thread, so that the caller's thread
 * (Electron's main process, which serves every window) never waits on IMAP, parsing or SQLite commits.
 * Progress comes back as events. Never rejects: a crash, an uncaught exception or a cancel of the worker
 * comes back as a failed Result, and the inbox lock a dead worker held is released.
 */
export async function retrieveInWorker(request: RetrievalRequest, options: WorkerRunOptions = {}): Promise<Result<RetrievalSummary>> {
  if (options.signal?.aborted) return fail(retrievalCancelled());
  const entry = await locateRetrievalWorker();
  if (!entry) return fail(retrievalWorkerUnavailable(`its file is missing (looked for ${builtWorkerPlaces().map((url) => fileURLToPath(url)).join(', ')}).`));
  const { tls, ...plainConnection } = request.connection;
  const { checkServerIdentity, ...plainTls } = tls ?? {};
  const sendable = { ...request, connection: { ...plainConnection, ...(tls ? { tls: plainTls } : {}) } };
  const functionAt = functionPathIn(sendable, 'request');
  if (functionAt) return fail(retrievalWorkerUnavailable(`${functionAt} is a function, which cannot be sent to a worker thread.`));

  const lockKey = `${request.dataDir}\0${request.inbox}`;
  runsInFlight.set(lockKey, (runsInFlight.get(lockKey) ?? 0) + 1);
  const identity = checkServerIdentity ? answerServerIdentity(checkServerIdentity) : null;
  try {
    const workerData: RetrievalWorkerData = { request: sendable, serverIdentity: identity?.channel ?? null };
    const startedAtMs = Date.now();
    const ended = await runWorker(entry, workerData, options);
    // Only this run of the inbox in this process: a lock taken since it started can only be its own.
    if (!ended.finished && runsInFlight.get(lockKey) === 1) await releaseLockOfDeadWorker(request.dataDir, request.inbox, startedAtMs);
    return ended.result;
  } finally {
    identity?.close();
    const left = (runsInFlight.get(lockKey) ?? 1) - 1;
    if (left === 0) runsInFlight.delete(lockKey);
    else runsInFlight.set(lockKey, left);
  }
}

/**
 * How long a run asked to stop through RetrievalRun's signal may take to reach a clean stop point before
 * its thread is terminated (SQLite then rolls back the open transaction; the next run removes what was
 * kept). Under 10 s, so that `mail-settings serve` ends within the 10 s it promises a service manager.
 */
const runStopGraceMs = 7_000;

/** The same, called as runRetrieval is (RetrievalRun carries onProgress and signal): what a service's deps take. */
export function runRetrievalInWorker(run: RetrievalRun): Promise<Result<RetrievalSummary>> {
  const { onProgress, signal, ...request } = run;
  return retrieveInWorker(request, { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal, cancelGraceMs: runStopGraceMs } : {}) });
}

interface WorkerEnded {
  readonly result: Result<RetrievalSummary>;
  /** The worker ran to its end (posted a result): the run itself released whatever it held. */
  readonly finished: boolean;
}

function runWorker(entry: RetrievalWorkerEntry, workerData: RetrievalWorkerData, options: WorkerRunOptions): Promise<WorkerEnded> {
  return new Promise((resolve) => {
    let result: Result<RetrievalSummary> | null = null;
    /** The thread died: an uncaught exception, out of memory. */
    let crash: AppError | null = null;
    /** The caller's progress handler failed. */
    let handlerFailure: AppError | null = null;
    let cancelled = false;
    let terminated = false;
    let timer: NodeJS.Timeout | undefined;

    let worker: Worker;
    try {
      worker = new Worker(entry.url, {
        workerData,
        transferList: workerData.serverIdentity ? [workerData.serverIdentity.port] : [],
        ...(entry.execArgv ? { execArgv: [...entry.execArgv] } : {}),
        resourceLimits: { ...workerHeapLimits, ...options.resourceLimits },
        name: 'mail-settings-retrieval',
      });
    } catch (error) {
      resolve({ result: fail(retrievalWorkerUnavailable(error instanceof Error ? error.message : String(error))), finished: false });
      return;
    }
    const terminate = (): void => {
      terminated = true;
      void worker.terminate();
    };
    const cancel = (): void => {
      if (cancelled || result) return;
      cancelled = true;
      worker.postMessage({ kind: 'cancel' } satisfies ToRetrievalWorker);
      const grace = options.cancelGraceMs ?? defaultCancelGraceMs;
      if (grace <= 0) terminate();
      else timer = setTimeout(terminate, grace);
    };

    worker.on('message', (message: FromRetrievalWorker) => {
      if (message.kind === 'result') {
        result = message.result;
        clearTimeout(timer);
        timer = setTimeout(terminate, exitGraceMs);
        return;
      }
      const stopForHandler = (error: unknown): void => {
        handlerFailure ??= retrievalWorkerFailed(`the progress handler failed (${error instanceof Error ? error.message : String(error)}).`);
        cancel();
      };
      try {
        const returned = options.onProgress?.(message.progress);
        if (returned instanceof Promise) returned.catch(stopForHandler);
      } catch (error) {
        stopForHandler(error);
      }
    });
    // An uncaught exception or running out of memory in the thread; 'exit' follows.
    worker.on('error', (error) => {
      crash ??= retrievalWorkerFailed(`${error.message}${'code' in error ? ` (${String(error.code)})` : ''}.`);
    });
    options.signal?.addEventListener('abort', cancel, { once: true });
    worker.once('exit', (exitCode) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
      const finished = result !== null;
      const unfinished = (): AppError => crash ?? (cancelled ? retrievalCancelled() : retrievalWorkerFailed(`the worker thread exited with code ${exitCode} before the run ended.`));
      // A run that completed stays a success even if a late progress event's handler failed.
      const outcome = result?.ok ? result : handlerFailure ? fail(handlerFailure) : (result ?? fail(unfinished()));
      resolve({ result: outcome, finished });
      options.onExit?.({ exitCode, terminated });
    });
  });
}

/** The path of the first function in `value` ("request.connection.logger.info"), or null. */
function functionPathIn(value: unknown, path: string, seen = new Set<unknown>()): string | null {
  if (typeof value === 'function') return path;
  if (typeof value !== 'object' || value === null || seen.has(value) || ArrayBuffer.isView(value)) return null;
  seen.add(value);
  for (const [key, inner] of Object.entries(value)) {
    const found = functionPathIn(inner, `${path}.${key}`, seen);
    if (found) return found;
  }
  return null;
}
