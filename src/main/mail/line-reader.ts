import type { Socket } from 'node:net';

/** Lines of a text protocol's plain start (SMTP replies, IMAP responses), until the TLS handshake takes the socket. */
export interface LineReader {
  next(): Promise<string>;
  /** Stops reading: what the server sends next belongs to the TLS handshake. */
  detach(): void;
}

export function lineReader(socket: Socket): LineReader {
  let buffer = '';
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  const lines: string[] = [];
  const onData = (chunk: Buffer): void => {
    buffer += chunk.toString('latin1');
    let index: number;
    while ((index = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, index).replace(/\r$/, '');
      buffer = buffer.slice(index + 1);
      const waiter = waiting.shift();
      if (waiter) waiter.resolve(line);
      else lines.push(line);
    }
  };
  const onEnd = (): void => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error('connection closed'));
  };
  socket.on('data', onData);
  socket.on('error', onEnd);
  socket.on('close', onEnd);
  return {
    next: () => {
      const line = lines.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    detach: () => {
      socket.off('data', onData);
      socket.off('error', onEnd);
      socket.off('close', onEnd);
    },
  };
}
