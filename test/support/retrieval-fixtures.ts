import { createHash } from 'node:crypto';
import type { ImapFlowOptions } from 'imapflow';
import type { InboxId } from '../../src/main/inbox/inbound-message';
import type { RetrievalRequest } from '../../src/main/inbox/retrieval/retrieval-types';
import { imapClient, testbed, type DovecotInfo, type TestUser } from '../testbed/client';

/** How the app would reach a test bed Dovecot as `user` (SSL/TLS on the imaps port, password). */
export function connectionFor(user: Pick<TestUser, 'email' | 'password'>, server: DovecotInfo = testbed().dovecot): ImapFlowOptions {
  const info = testbed();
  return {
    host: info.host,
    port: server.ports.imaps,
    secure: true,
    auth: { user: user.email, pass: user.password },
    tls: { ca: [info.ca.caPem] },
    logger: false,
    connectionTimeout: 10_000,
    greetingTimeout: 5_000,
    socketTimeout: 30_000,
  };
}

export function retrievalRequestFor(
  user: Pick<TestUser, 'email' | 'password'>,
  dataDir: string,
  options: { inbox?: InboxId; server?: DovecotInfo; batchMessages?: number } = {},
): RetrievalRequest {
  return {
    inbox: options.inbox ?? 'lead',
    dataDir,
    connection: connectionFor(user, options.server),
    leadActivityType: 'Web Lead',
    ...(options.batchMessages === undefined ? {} : { batchMessages: options.batchMessages }),
  };
}

export interface ServedMessage {
  readonly uid: number;
  readonly flags: readonly string[];
  readonly sha256: string;
  readonly size: number;
  readonly messageId: string | null;
}

/**
 * What the server serves for INBOX right now, read by a plain imapflow client (BODY.PEEK[]): the bytes'
 * sha256 per message, to compare with what the records kept.
 */
export async function servedMessages(user: Pick<TestUser, 'email' | 'password'>, server: DovecotInfo = testbed().dovecot): Promise<ServedMessage[]> {
  return withInbox(user, server, async (client) => {
    const served: ServedMessage[] = [];
    if (client.mailbox && client.mailbox.exists > 0) {
      for await (const message of client.fetch('1:*', { uid: true, flags: true, source: true, envelope: true })) {
        const source = message.source ?? Buffer.alloc(0);
        served.push({
          uid: message.uid,
          flags: [...(message.flags ?? [])],
          sha256: createHash('sha256').update(source).digest('hex'),
          size: source.length,
          messageId: message.envelope?.messageId?.replace(/^<|>$/g, '') ?? null,
        });
      }
    }
    return served;
  });
}

/** Runs `work` with a plain imapflow client that has INBOX open (as another mail program would). */
export async function withInbox<T>(user: Pick<TestUser, 'email' | 'password'>, server: DovecotInfo, work: (client: ReturnType<typeof imapClient>) => Promise<T>): Promise<T> {
  const client = imapClient({ user: user.email, pass: user.password }, { server });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.mailboxOpen('INBOX');
    return await work(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
