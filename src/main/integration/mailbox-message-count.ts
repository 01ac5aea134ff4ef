import { ImapFlow, type ImapFlowOptions } from 'imapflow';

/**
 * How many messages a mailbox's folder holds, asked in one connection (sign-in, then STATUS (MESSAGES),
 * RFC 3501 6.3.10: the folder is not selected, nothing in it is read or changed). Null when the server
 * could not be asked (unreachable, a refused sign-in, no such folder, `signal` aborted): the caller then
 * runs as if there were mail, so that the run itself meets the trouble and reports it in its own words.
 */
export async function mailboxMessageCount(
  connection: ImapFlowOptions,
  folder: string,
  options: { readonly signal?: AbortSignal; readonly createClient?: (options: ImapFlowOptions) => ImapFlow } = {},
): Promise<number | null> {
  const { signal } = options;
  if (signal?.aborted) return null;
  const client = (options.createClient ?? ((clientOptions) => new ImapFlow(clientOptions)))({ ...connection, logger: false });
  // imapflow reports a dropped connection as an 'error' event as well as a rejected command.
  client.on('error', () => undefined);
  const abort = (): void => client.close();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
    const status = await client.status(folder, { messages: true });
    await client.logout().catch(() => undefined);
    return status === false || typeof status.messages !== 'number' ? null : status.messages;
  } catch {
    client.close();
    return null;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
