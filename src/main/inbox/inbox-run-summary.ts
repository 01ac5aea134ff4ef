import type { Result } from '../../shared/errors';
import type { InboxId, InboxRetrievalProgress, InboxRunSummary } from '../../shared/inbox';
import type { RetrievalProgress, RetrievalSummary } from './retrieval/retrieval-types';

/** How a run ended, as the dialog and the CLI show it and the records keep it. */
export function runSummaryOf(inbox: InboxId, outcome: Result<RetrievalSummary>, finishedAt: Date): InboxRunSummary {
  const counts = outcome.ok
    ? outcome.value
    : { retrieved: 0, alreadyStored: 0, expunged: 0, leftForLaterExpunge: 0, skippedDeletedByOthers: 0, notImported: 0, warnings: [] };
  return {
    inbox,
    finishedAt: finishedAt.toISOString(),
    retrieved: counts.retrieved,
    alreadyStored: counts.alreadyStored,
    expunged: counts.expunged,
    leftForLaterExpunge: counts.leftForLaterExpunge,
    skippedDeletedByOthers: counts.skippedDeletedByOthers,
    notImported: counts.notImported,
    warnings: [...counts.warnings],
    error: outcome.ok ? null : outcome.error,
  };
}

/** What a run has told so far: how many messages it listed, how many records it made. */
export interface RunSoFar {
  total: number;
  retrieved: number;
  /** The raw bytes fetched so far (each message's size as served). */
  downloadedBytes?: number;
}

/**
 * The run's steps as the dialog's progress shows them: the listing, each batch kept, each removal from the
 * server. Single fetches and flags are left out: the batch's commit and expunge say the same, once a batch.
 */
export function progressOf(inbox: InboxId, progress: RetrievalProgress, soFar: RunSoFar): InboxRetrievalProgress | null {
  switch (progress.kind) {
    case 'listed':
      soFar.total = progress.total;
      return { inbox, phase: 'listed', total: soFar.total, retrieved: soFar.retrieved };
    case 'committed':
      soFar.retrieved = progress.retrievedSoFar;
      return { inbox, phase: 'storing', total: soFar.total, retrieved: soFar.retrieved, downloadedBytes: soFar.downloadedBytes ?? 0 };
    case 'expunged':
      return { inbox, phase: 'removing', total: soFar.total, retrieved: soFar.retrieved, downloadedBytes: soFar.downloadedBytes ?? 0 };
    case 'fetched':
      // Counted, not told: the batch's commit tells it, once a batch.
      soFar.downloadedBytes = (soFar.downloadedBytes ?? 0) + progress.size;
      return null;
    case 'flagged':
      return null;
  }
}
