import { createServer, type Server, type Socket } from 'node:net';

/**
 * A minimal IMAP server (RFC 3501 greeting, CAPABILITY, LOGIN, LIST, SELECT, LOGOUT) on loopback that answers
 * as Office 365 does when it throttles or when a sign-in does not reach the mailbox. Dovecot cannot be
 * made to say these words, and they are what the app must recognise.
 */
export interface RefusingImapServer {
  readonly port: number;
  /** How many connections were opened so far (a client that retries at once shows up here). */
  readonly connections: () => number;
  readonly close: () => Promise<void>;
}

export interface RefusalOptions {
  /** Which command is refused: the sign-in, listing the folders, or opening the mailbox. */
  readonly at: 'login' | 'list' | 'select';
  /** The tagged response, e.g. `NO Request is throttled. Suggested Backoff Time: 1500 milliseconds`. */
  readonly answer: string;
}

/** Office 365's words for throttling (Microsoft Learn, "Exchange Online limits"), with the wait given. */
export function throttledAnswer(backoffMs: number): string {
  return `NO Request is throttled. Suggested Backoff Time: ${backoffMs} milliseconds`;
}

export async function startRefusingImapServer(options: RefusalOptions): Promise<RefusingImapServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write('* OK [CAPABILITY IMAP4rev1] refusing test server ready\r\n');
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        answer(socket, buffered.slice(0, end), options);
        buffered = buffered.slice(end + 2);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(socket: Socket, line: string, options: RefusalOptions): void {
  const [tag = '*', command = ''] = line.split(' ');
  switch (command.toUpperCase()) {
    case 'CAPABILITY':
      socket.write(`* CAPABILITY IMAP4rev1\r\n${tag} OK CAPABILITY completed\r\n`);
      return;
    case 'LOGIN':
      socket.write(options.at === 'login' ? `${tag} ${options.answer}\r\n` : `${tag} OK [CAPABILITY IMAP4rev1] LOGIN completed\r\n`);
      return;
    case 'LIST':
      socket.write(options.at === 'list' ? `${tag} ${options.answer}\r\n` : `* LIST (\\HasNoChildren) "/" INBOX\r\n${tag} OK LIST completed\r\n`);
      return;
    case 'SELECT':
    case 'EXAMINE':
      socket.write(`${tag} ${options.answer}\r\n`);
      return;
    case 'LOGOUT':
      socket.write(`* BYE logging out\r\n${tag} OK LOGOUT completed\r\n`);
      socket.end();
      return;
    case 'NOOP':
      socket.write(`${tag} OK NOOP completed\r\n`);
      return;
    default:
      socket.write(`${tag} BAD unknown command\r\n`);
  }
}
