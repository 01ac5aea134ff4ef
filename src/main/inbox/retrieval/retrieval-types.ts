import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { AppError } from '../../../shared/errors';
import type { InboxQuarantine } from '../../records/inbox-quarantine';
import type { InboxRecords } from '../../records/inbox-records';
import type { MailboxCounters } from '../../records/mailbox-counters';
import type { MailboxLeases } from '../../records/mailbox-leases';
import type { RecordsLocation } from '../../records/records-store';
import type { AliasRouting } from '../../integration/alias-routing';
import type { InboxId, ParsedInbound } from '../inbound-message';
import type { RetrievalSource } from './retrieval-source';

/** What one retrieval run empties, and into what. */
export interface RetrievalRequest {
  /** The Lead Inbox, the Service Desk Inbox, or an integration mailbox (`integration:<id>`). */
  readonly inbox: RetrievalSource;
  /** Where the lock lives (`<dataDir>/locks/<source>.lock`). */
  readonly dataDir: string;
  /**
   * Where the records go: a shared PostgreSQL database (its URL, password included, crosses into the
   * worker thread in memory only), or by default the built-in database in `dataDir`.
   */
  readonly records?: RecordsLocation;
  /** How to reach and sign in to the server (host, port, secure, auth, tls …), built from the inbox's settings. */
  readonly connection: ImapFlowOptions;
  /** The activity type of Lead Inbox notes (e.g. "Web Lead"); ignored for the Service Desk, which opens cases. */
  readonly leadActivityType: string;
  /**
   * An integration mailbox: each message goes where its recipients' alias says (alias-routing.ts), a note
   * or a case, instead of where the inbox's own messages go.
   */
  readonly routing?: AliasRouting;
  /** Service Desk: queue an acknowledgement with each new case a person opens (sent after the run). */
  readonly acknowledgeNewCases?: boolean;
  /** Default INBOX. */
  readonly mailbox?: string;
  /** A batch is committed (and only then expunged) at this many messages … (default 50) */
  readonly batchMessages?: number;
  /** … or once its messages add up to this many bytes (default 8 MB; a larger message is a batch of its own). */
  readonly batchBytes?: number;
  /** A message larger than this (RFC822.SIZE) is not fetched but quarantined (default 50 MB, quarantine-gate.ts). */
  readonly maxMessageBytes?: number;
  /** "Leave messages on the server": only mail above the mailbox counter, nothing removed (keep-on-server.ts). */
  readonly keepOnServer?: boolean;
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
  /** Where messages that cannot be kept are listed; without it they are still left on the server and skipped. */
  readonly quarantine?: InboxQuarantine;
  /** The mailbox counters of "Leave messages on the server"; without them such a run reads every message. */
  readonly counters?: MailboxCounters;
  /**
   * Given when the records are shared by several installations (RecordsStore.shared): the run then also
   * holds the mailbox's lease there (mailbox-lease-keeper.ts), which the lock file alone cannot give across machines.
   */
  readonly leases?: MailboxLeases;
  /** How long the lease lasts unrenewed (default 60 s); it is renewed every third of it. */
  readonly leaseTtlMs?: number;
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
  /** Messages left on the server because they could not be kept now (too large, a refused fetch): quarantined. */
  readonly notImported: number;
  /** Things the user should know although the run succeeded (another program empties the mailbox …). */
  readonly warnings: readonly AppError[];
}
