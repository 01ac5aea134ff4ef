import type { ImapFlow } from 'imapflow';
import { uidSet } from './uid-set';

export interface ExpungeOutcome {
  /** UIDs the server removed at our request. */
  readonly expunged: readonly number[];
  /** UIDs marked \Deleted but left in place (no UIDPLUS, and another program's \Deleted message is there). */
  readonly leftFlagged: readonly number[];
}

export interface ExpungeSteps {
  readonly onFlagged?: (uids: readonly number[]) => void | Promise<void>;
}

/**
 * Removes from the server exactly the messages already kept in the records, never one more:
 * - With UIDPLUS (RFC 4315 2.1), `UID STORE +FLAGS (\Deleted)` then `UID EXPUNGE <uids>`, which removes
 *   only the listed UIDs even if other messages are marked \Deleted (imapflow's messageDelete with
 *   `uid: true` issues exactly these two when the server announces UIDPLUS).
 * - Without it, only a plain EXPUNGE exists, and it removes EVERY \Deleted message (RFC 3501 6.4.3,
 *   RFC 9051 6.4.3), including ones another program marked and meant to keep for now. So we mark ours,
 *   `UID SEARCH DELETED`, and expunge only when every \Deleted message is one we keep (`isOurs`);
 *   otherwise ours stay marked and a later run retries (the fallback RFC 4549 4.2.4 describes).
 *   imapflow itself falls back to a plain EXPUNGE without UIDPLUS, so that path never calls
 *   messageDelete before the check. A window remains between the SEARCH and the EXPUNGE in which
 *   another program could mark a message; no command of the base protocol closes it.
 */
export async function expungeStored(client: ImapFlow, uids: readonly number[], isOurs: (uid: number) => boolean, steps: ExpungeSteps = {}): Promise<ExpungeOutcome> {
  if (uids.length === 0) return { expunged: [], leftFlagged: [] };
  const range = uidSet(uids);
  if (client.capabilities.has('UIDPLUS')) {
    if (!(await client.messageDelete(range, { uid: true }))) throw new Error(`The server refused to remove messages ${range}`);
    return { expunged: uids, leftFlagged: [] };
  }
  if (!(await client.messageFlagsAdd(range, ['\\Deleted'], { uid: true }))) throw new Error(`The server refused to mark messages ${range} \\Deleted`);
  await steps.onFlagged?.(uids);
  const deleted = await client.search({ deleted: true }, { uid: true });
  if (!Array.isArray(deleted)) throw new Error('The server did not answer SEARCH DELETED');
  if (deleted.length === 0 || !deleted.every(isOurs)) return { expunged: [], leftFlagged: uids };
  // Every \Deleted message is one we keep: a plain EXPUNGE (issued by messageDelete here) removes
  // exactly those, including ours left marked by an earlier batch or run.
  if (!(await client.messageDelete(uidSet(deleted), { uid: true }))) throw new Error('The server refused EXPUNGE');
  return { expunged: deleted, leftFlagged: [] };
}
