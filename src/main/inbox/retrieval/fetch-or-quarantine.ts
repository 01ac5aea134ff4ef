import type { ImapFlow } from 'imapflow';
import type { RetrievedMessage } from '../../records/inbox-records';
import { suggestedBackoffMs } from '../server-throttling';
import type { ListedMessage } from './plan-batches';
import type { QuarantineGate } from './quarantine-gate';

/**
 * Fetches a batch; when the server refuses the FETCH (a tagged NO or BAD, RFC 3501 7.1) while the
 * connection stays up, fetches its messages one by one so that only the one it cannot serve is held
 * (quarantine-gate.ts) and the others are kept. A lost connection is no message's fault: it ends the run.
 * `quarantined` counts the held ones, which were listed and are not "gone".
 */
export async function fetchOrQuarantine(
  client: ImapFlow,
  batch: readonly ListedMessage[],
  fetchBatch: (batch: readonly ListedMessage[]) => Promise<RetrievedMessage[]>,
  gate: QuarantineGate,
): Promise<{ readonly fetched: RetrievedMessage[]; readonly quarantined: number }> {
  try {
    return { fetched: await fetchBatch(batch), quarantined: 0 };
  } catch (error) {
    // Throttling is about the whole session, not this message: the run stops and waits (imap-errors.ts).
    if (!client.usable || !isServerRefusal(error) || suggestedBackoffMs(refusalText(error)) !== null) throw error;
    const [only] = batch;
    if (batch.length === 1 && only) {
      await gate.fetchFailed(only, refusalText(error));
      return { fetched: [], quarantined: 1 };
    }
    const fetched: RetrievedMessage[] = [];
    let quarantined = 0;
    for (const message of batch) {
      const one = await fetchOrQuarantine(client, [message], fetchBatch, gate);
      fetched.push(...one.fetched);
      quarantined += one.quarantined;
    }
    return { fetched, quarantined };
  }
}

/** imapflow puts a tagged response's status in `responseStatus` and its text in `responseText`. */
function isServerRefusal(error: unknown): boolean {
  const status = (error as { responseStatus?: unknown } | null)?.responseStatus;
  return status === 'NO' || status === 'BAD';
}

function refusalText(error: unknown): string {
  const record = error as { responseStatus?: unknown; responseText?: unknown };
  return `${String(record.responseStatus)} ${typeof record.responseText === 'string' ? record.responseText : ''}`.trim();
}
