import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { AppError } from '../../../shared/errors';
import type { InboxRecords } from '../../records/inbox-records';
import type { InboxId, ParsedInbound } from '../inbound-message';

/** What one retrieval run empties, and into what. */
export interface RetrievalRequest {
  readonly inbox: InboxId;
  /** Where the lock lives (`<dataDir>/locks/<inbox>.lock`). */
  readonly dataDir: string;
  /** How to reach and sign in to the server (host, port, secure, auth, tls …), built from the inbox's settings. */
  readonly connection: ImapFlowOptions;
  /** The activity type of Lead Inbox notes (e.g. "Web Lead"); ignored for the Service Desk, which opens cases. */
  readonly leadActivityType: string;
  /** Default INBOX. */
  readonly mailbox?: string;
  /** A batch is committed (and only then expunged) at this many messages … (default 50) */
  readonly batchMessages?: number;
  /** … or once its messages add up to this many bytes (default 16 MB; a larger message is a batch of its own). */
  readonly batchBytes?: number;
}

export type RetrievalProgress =
  /** The mailbox was listed: `total` messages, of which `alreadyStored` were kept by an earlier run. */
  | { readonly kind: 'listed'; readonly total: number; readonly alreadyStored: number; readonly uidValidity: number; readonly uidNext: number }
  | { readonly kind: 'fetched'; readonly uid: number; readonly size: number }
  /** A batch is on disk. */
  | { readonly kind: 'committed'; readonly uids: readonly number[]; readonly stored: number; readonly retrievedSoFar: number }
  /** Messages kept (now or before) were marked \Deleted … */
  | { readonly kind: 'flagged'; readonly uids: readonly number[] }
  /** … and removed from the server. */
  | { readonly kind: 'expunged'; readonly uids: readonly number[] };

export interface RetrievalDependencies {
  readonly records: InboxRecords;
  readonly createClient: (options: ImapFlowOptions) => ImapFlow;
  readonly parse: (raw: Buffer, inbox: InboxId) => Promise<ParsedInbound>;
  readonly now: () => Date;
  /**
   * Told as the run goes. The run waits for a returned promise before going on (a caller that relays
   * events elsewhere can hold it back; tests use it to act at an exact point of a run).
   */
  readonly onProgress?: (progress: RetrievalProgress) => void | Promise<void>;
  /** Lock staleness bound (see LockOptions); the default suits production. */
  readonly lockStaleAfterMs?: number;
}

export interface RetrievalSummary {
  /** New records made by this run. */
  readonly retrieved: number;
  /** Messages found kept already (a run that died between commit and expunge; a UIDVALIDITY change). */
  readonly alreadyStored: number;
  /** Messages removed from the server by this run. */
  readonly expunged: number;
  /** Kept messages left marked \Deleted on the server, to be removed by a later run (no UIDPLUS). */
  readonly leftForLaterExpunge: number;
  /** Messages another program marked \Deleted: neither imported nor removed. */
  readonly skippedDeletedByOthers: number;
  /** Things the user should know although the run succeeded (another program empties the mailbox …). */
  readonly warnings: readonly AppError[];
}
