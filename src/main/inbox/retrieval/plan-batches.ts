/** A message to retrieve, with its size (RFC822.SIZE): what a batch is planned from. */
export interface ListedMessage {
  readonly uid: number;
  readonly size: number;
}

/**
 * Cuts the messages to retrieve into batches of at most `maxMessages` and, past the first message,
 * `maxBytes`: one commit (one fsync) per batch, and at most one batch of raw bytes held in memory
 * (a message larger than `maxBytes` goes alone).
 */
export function planBatches(messages: readonly ListedMessage[], maxMessages: number, maxBytes: number): ListedMessage[][] {
  const batches: ListedMessage[][] = [];
  let current: ListedMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (current.length > 0 && (current.length >= maxMessages || bytes + message.size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += message.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
