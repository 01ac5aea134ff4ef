import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback in front of a test bed Dovecot's plain IMAP port that can rewrite what either
 * side says, line by line, or answer a command itself. Literals (`{n}` then n bytes, RFC 3501 4.3) pass
 * as they are, never rewritten.
 */
export interface ImapProxy {
  readonly port: number;
  /** Every command line the client sent, after `fromClient` (LOGIN's password included: test users only). */
  readonly commands: () => readonly string[];
  readonly close: () => Promise<void>;
}

export interface ImapProxyHooks {
  readonly targetPort: number;
  /** A client line as forwarded; or `{ answer }` to reply to the client instead of forwarding it. */
  readonly fromClient?: (line: string) => string | { readonly answer: string };
  readonly fromServer?: (line: string) => string;
}

export async function startImapProxy(hooks: ImapProxyHooks): Promise<ImapProxy> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: hooks.targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    pipeLines(client, upstream, (line) => {
      const rewritten = hooks.fromClient?.(line) ?? line;
      if (typeof rewritten !== 'string') {
        client.write(`${rewritten.answer}\r\n`);
        return null;
      }
      commands.push(rewritten);
      return rewritten;
    });
    pipeLines(upstream, client, (line) => hooks.fromServer?.(line) ?? line);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    commands: () => commands,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Forwards `from` to `to` line by line (CRLF), each text line through `rewrite` (null: not forwarded),
 * and the n bytes of a literal announced at a line's end as they are.
 */
function pipeLines(from: Socket, to: Socket, rewrite: (line: string) => string | null): void {
  let pending = Buffer.alloc(0);
  let literalLeft = 0;
  from.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      if (literalLeft > 0) {
        const take = Math.min(literalLeft, pending.length);
        if (take === 0) break;
        out.push(pending.subarray(0, take));
        pending = pending.subarray(take);
        literalLeft -= take;
        continue;
      }
      const end = pending.indexOf('\r\n');
      if (end < 0) break;
      const line = pending.subarray(0, end).toString('latin1');
      pending = pending.subarray(end + 2);
      const rewritten = rewrite(line);
      if (rewritten !== null) out.push(Buffer.from(`${rewritten}\r\n`, 'latin1'));
      const literal = /\{(\d+)\+?\}$/.exec(line);
      if (literal) literalLeft = Number(literal[1]);
    }
    if (out.length > 0) to.write(Buffer.concat(out));
  });
}
