import type { RetrievalProgress } from './retrieval-types';

/**
 * Whether a run asked to stop may stop right after this step without leaving anything half-done:
 * - after the listing, or after a message was fetched (its batch is not committed yet: the whole batch
 *   stays on the server and the next run fetches it again);
 * - after an expunge (the batch is kept and gone from the server).
 * Not after a commit or a \Deleted flag: the batch is kept but still on the server, and its expunge is a
 * single short command, so the run finishes it first. (Were it cut there anyway, by a kill, the next run
 * finds those messages already kept and only removes them.)
 */
export function isCleanStopPoint(progress: RetrievalProgress): boolean {
  switch (progress.kind) {
    case 'listed':
    case 'fetched':
    case 'expunged':
      return true;
    case 'committed':
    case 'flagged':
      return false;
  }
}
