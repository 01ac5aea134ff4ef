import { ErrorCode, type AppError } from '../../../shared/errors';

/*
 * How a run through the worker thread ends when it does not end by itself. Nothing is lost in any of
 * these: a batch is kept whole or not at all, and the next run goes on from there.
 */

const nothingLost = 'Nothing is lost: messages are removed from the server only once they are kept, and the next run goes on from there.';

/** The caller stopped the run (the app quitting; a Cancel button comes with the schedule, in part 2). */
export function retrievalCancelled(): AppError {
  return { code: ErrorCode.RetrievalCancelled, message: 'The retrieval was stopped before it finished.', fix: nothingLost };
}

/** The worker thread died (an uncaught exception, out of memory) or exited without a result. */
export function retrievalWorkerFailed(cause: string): AppError {
  return { code: ErrorCode.Internal, message: `The retrieval stopped unexpectedly: ${cause}`, fix: `${nothingLost} If it keeps happening, send the log file to your IT team.` };
}

/** The built app or CLI lacks the worker's file, or a connection option cannot be sent to it. */
export function retrievalWorkerUnavailable(cause: string): AppError {
  return { code: ErrorCode.Internal, message: `The retrieval could not start: ${cause}`, fix: 'Reinstall Mail Settings; if it keeps failing, send the log file to your IT team.' };
}
