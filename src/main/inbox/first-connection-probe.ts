import { ImapFlow, type ImapFlowOptions } from 'imapflow';

/** What a mailbox holds before its inbox's first run (EXAMINE: nothing is changed, not even \Recent). */
export interface MailboxAtFirstConnection {
  readonly exists: number;
  readonly uidValidity: number;
  /** The UID the next message will get (RFC 3501 6.3.1): everything below it is there already. */
  readonly uidNext: number;
  /** When the oldest message arrived (INTERNALDATE of message 1), or null for an empty mailbox. */
  readonly oldest: Date | null;
}

/** Opens the mailbox read-only and looks at how much mail it holds, and since when. */
export async function probeMailbox(connection: ImapFlowOptions, mailbox: string): Promise<MailboxAtFirstConnection> {
  const client = new ImapFlow({ ...connection, logger: false, disableAutoIdle: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const opened = await client.mailboxOpen(mailbox, { readOnly: true });
    const first = opened.exists > 0 ? await client.fetchOne('1', { internalDate: true }) : false;
    const arrived = first ? first.internalDate : undefined;
    return {
      exists: opened.exists,
      uidValidity: Number(opened.uidValidity),
      uidNext: opened.uidNext,
      oldest: arrived === undefined ? null : new Date(arrived),
    };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
