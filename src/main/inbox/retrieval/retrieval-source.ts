import type { InboxId } from '../inbound-message';

/**
 * What a retrieval run empties: the Lead Inbox, the Service Desk Inbox, or an Email Integration mailbox
 * (issue 15) by its credential id. Records, runs, the lock, the quarantine and the counters key on it.
 */
export type RetrievalSource = InboxId | `integration:${string}`;

export function integrationSourceOf(credentialId: string): RetrievalSource {
  return `integration:${credentialId}`;
}

/** The credential id of an integration source (`integration:abc` → `abc`), or null for an inbox. */
export function integrationIdOfSource(source: string): string | null {
  return source.startsWith('integration:') ? source.slice('integration:'.length) : null;
}

/**
 * A source as part of a file name: `integration:abc` → `integration-abc`, since ':' is not allowed in
 * file names on Windows. Credential ids are lowercase letters, digits and '-', so names never collide
 * with the inboxes' own (`lead`, `serviceDesk`).
 */
export function fileNameOfSource(source: RetrievalSource): string {
  return source.replace(':', '-');
}
