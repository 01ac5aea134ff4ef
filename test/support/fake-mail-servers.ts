import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, createServer as createTlsServer, TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { SMTPServer } from 'smtp-server';
import { introspectViaBridge, testbed } from '../testbed/client';

/**
 * Small servers the integration and e2e tests start for the failures the test bed's real servers don't produce: Office 365's
 * AUTH replies, a self-signed certificate, a port that never speaks, a port that is closed.
 */

const run = promisify(execFile);

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}

/** An SMTP server (STARTTLS, the test bed's certificate) that answers every AUTH with Office 365's `reply`. */
export async function office365AuthReply(reply: string): Promise<RunningServer> {
  const { ca } = testbed();
  const server = new SMTPServer({
    key: await readFile(ca.keyPath),
    cert: await readFile(ca.certPath),
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth: (_auth, _session, callback) => callback(Object.assign(new Error(reply), { responseCode: 535 })),
    logger: false,
  });
  server.on('error', () => undefined);
  const port = await listen(server.server);
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface SelfSignedServer extends RunningServer {
  /** As `openssl x509 -fingerprint -sha256` prints it: what IT would read out to the user. */
  readonly fingerprint: string;
  readonly logins: number;
}

/**
 * An SMTP server whose certificate (self-signed, for 127.0.0.1, new each time) nobody trusts: implicit TLS
 * (465 style) or STARTTLS (587 style, the usual setup). `port` reuses a port, to play a server whose
 * certificate was replaced.
 */
export async function selfSignedSmtpServer(dir: string, port = 0, mode: 'tls' | 'starttls' = 'tls'): Promise<SelfSignedServer> {
  const key = join(dir, 'self-signed.key');
  const cert = join(dir, 'self-signed.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  const { stdout } = await run('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256']);
  const fingerprint = stdout.trim().split('=')[1] ?? '';
  const state = { logins: 0 };
  const server = new SMTPServer({
    secure: mode === 'tls',
    key: await readFile(key),
    cert: await readFile(cert),
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth: (_auth, _session, callback) => {
      state.logins += 1;
      callback(null, { user: 'any' });
    },
    logger: false,
  });
  // The refused handshakes (before the certificate is trusted) are expected here.
  server.on('error', () => undefined);
  const listening = await listen(server.server, port);
  return {
    port: listening,
    fingerprint,
    get logins() {
      return state.logins;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TokenCheckingServer extends RunningServer {
  /** Every XOAUTH2 token presented, in order. */
  readonly tokens: readonly string[];
}

/**
 * An SMTP server that answers the first XOAUTH2 attempt with 535 (as for a token it considers expired)
 * and accepts a later token if the identity provider says it is live.
 */
export async function rejectFirstTokenServer(): Promise<TokenCheckingServer> {
  const { ca } = testbed();
  const tokens: string[] = [];
  const server = new SMTPServer({
    key: await readFile(ca.keyPath),
    cert: await readFile(ca.certPath),
    authMethods: ['XOAUTH2'],
    onAuth: (auth, _session, callback) => {
      tokens.push(auth.accessToken ?? '');
      if (tokens.length === 1) return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office.com/SMTP.Send' } });
      void introspectViaBridge(auth.accessToken ?? '').then((answer) =>
        answer.active ? callback(null, { user: auth.username }) : callback(Object.assign(new Error('5.7.8 token not active'), { responseCode: 535 })),
      );
    },
    logger: false,
  });
  server.on('error', () => undefined);
  const port = await listen(server.server);
  return { port, tokens, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port that accepts connections and then says nothing at all (no greeting, no TLS). */
export async function silentServer(): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real PNG of one colour (decodable by any viewer): small, and different bytes for different colours. */
export function solidPng(width: number, height: number, [red, green, blue]: readonly [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x += 1) row.set([red, green, blue], 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface AuthRecordingServer extends RunningServer {
  /** Every connection that reached the server, and every AUTH it was sent (user and secret as received). */
  readonly connections: number;
  readonly auths: ReadonlyArray<{ readonly method: string; readonly user: string; readonly secret: string; readonly secure: boolean }>;
}

/**
 * An SMTP server that accepts any AUTH and records it, to prove what a server was (or was never) sent.
 * 'plain' offers AUTH in clear text and no STARTTLS, like an old internal relay; 'starttls' offers STARTTLS
 * with the test bed's certificate and AUTH after it.
 */
export async function authRecordingServer(mode: 'plain' | 'starttls'): Promise<AuthRecordingServer> {
  const { ca } = testbed();
  const state = { connections: 0 };
  const auths: Array<{ method: string; user: string; secret: string; secure: boolean }> = [];
  const server = new SMTPServer({
    ...(mode === 'plain' ? { hideSTARTTLS: true, allowInsecureAuth: true } : { key: await readFile(ca.keyPath), cert: await readFile(ca.certPath) }),
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
    onConnect: (_session, callback) => {
      state.connections += 1;
      callback();
    },
    onAuth: (auth, session, callback) => {
      auths.push({ method: auth.method, user: auth.username ?? '', secret: auth.password ?? auth.accessToken ?? '', secure: session.secure });
      callback(null, { user: auth.username ?? 'any' });
    },
    logger: false,
  });
  server.on('error', () => undefined);
  const port = await listen(server.server);
  return {
    port,
    auths,
    get connections() {
      return state.connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SelfSignedImapServer extends RunningServer {
  /** As `openssl x509 -fingerprint -sha256` prints it. */
  readonly fingerprint: string;
  /** Every command line a client sent in plain text, in order (nothing after STARTTLS is read). */
  readonly commands: readonly string[];
}

/** A fresh self-signed certificate for 127.0.0.1 in `dir`, and its SHA-256 fingerprint. */
async function selfSignedCertificate(dir: string, name: string): Promise<{ key: Buffer; cert: Buffer; fingerprint: string }> {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.crt`);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath]);
  const { stdout } = await run('openssl', ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256']);
  return { key: await readFile(keyPath), cert: await readFile(certPath), fingerprint: stdout.trim().split('=')[1] ?? '' };
}

/**
 * A tiny IMAP responder whose certificate (self-signed, new each time) nobody trusts: enough of RFC 3501 for
 * a client to reach the TLS handshake and no further. 'starttls' greets without capabilities, so the
 * client must ask CAPABILITY, which lists STARTTLS (143 style); 'no-starttls' lists none and refuses it;
 * 'tls' does the handshake first (993 style).
 */
export async function selfSignedImapServer(dir: string, mode: 'starttls' | 'no-starttls' | 'tls'): Promise<SelfSignedImapServer> {
  const { key, cert, fingerprint } = await selfSignedCertificate(dir, `imap-${mode}-${randomUUID().slice(0, 8)}`);
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const greet = (socket: Socket): void => {
    socket.write('* OK IMAP4rev1 test responder ready\r\n');
  };
  const converse = (socket: Socket): void => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        commands.push(line);
        const [tag = '*', command = ''] = line.split(' ');
        const reply = (text: string): void => {
          socket.write(`${text}\r\n`);
        };
        if (/^CAPABILITY$/i.test(command)) {
          reply(`* CAPABILITY IMAP4rev1 ${mode === 'starttls' ? 'STARTTLS ' : ''}LOGINDISABLED`);
          reply(`${tag} OK CAPABILITY completed`);
        } else if (/^STARTTLS$/i.test(command) && mode === 'starttls') {
          reply(`${tag} OK Begin TLS negotiation now`);
          socket.off('data', onData);
          const secure = new TLSSocket(socket, { isServer: true, secureContext: createSecureContext({ key, cert }) });
          secure.on('error', () => undefined);
          return;
        } else if (/^LOGOUT$/i.test(command)) {
          reply('* BYE logging out');
          reply(`${tag} OK LOGOUT completed`);
          socket.end();
        } else {
          reply(`${tag} BAD ${command} is not offered here`);
        }
      }
    };
    socket.on('data', onData);
  };
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server =
    mode === 'tls'
      ? createTlsServer({ key, cert }, (socket) => {
          track(socket);
          greet(socket);
        })
      : createServer((socket) => {
          track(socket);
          greet(socket);
          converse(socket);
        });
  // The refused handshakes of clients that do not trust the certificate are expected here.
  server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  return {
    port,
    fingerprint,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
