import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerAuthenticationResponse, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { askBridge } from './bridge';
import type { TestCa } from './ca';
import { deliverToMaildirs } from './delivery';
import type { UserDirectory } from './users';

/**
 * nodemailer's own smtp-server as a second, independent SMTP server with the same users as Dovecot:
 * PLAIN/LOGIN against the user list, XOAUTH2 through the introspection bridge. Every accepted message
 * is saved as <id>.eml (raw, as received) plus <id>.json (envelope + authenticated user) in `emlDir`,
 * and delivered into the Maildir of every local recipient, so it can also be read back over IMAP.
 * The same code without auth is the relay sink behind Dovecot's submission service.
 */
export interface SmtpPorts {
  /** Plain connection, STARTTLS offered; AUTH only after STARTTLS (as real servers do). */
  readonly starttls: number;
  /** Implicit TLS from the first byte (the "SSL/TLS" security mode, port 465 style). */
  readonly tls: number;
  /** No TLS at all, AUTH allowed in clear (the "None" security mode). */
  readonly plain: number;
}

export interface RunningSmtp {
  readonly ports: SmtpPorts;
  readonly emlDir: string;
  stop(): Promise<void>;
}

/** Envelope record written next to each .eml. */
export interface SavedEnvelope {
  readonly id: string;
  readonly receivedAt: string;
  readonly port: keyof SmtpPorts | 'relay';
  readonly mailFrom: string | null;
  readonly rcptTo: string[];
  /** The user it authenticated as, and how ('PLAIN' | 'LOGIN' | 'XOAUTH2'); null on the relay sink. */
  readonly user: string | null;
  readonly authMethod: string | null;
  readonly secure: boolean;
  readonly deliveredTo: string[];
}

interface SessionUser {
  email: string;
  method: string;
}

async function listen(server: SMTPServer, logPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      // smtp-server emits 'error' for every client that drops mid-TLS (tests of untrusted
      // certificates do it on purpose); unheard, that event would crash the vitest main process.
      server.on('error', (error: Error) => {
        void appendFile(logPath, `${new Date().toISOString()} ${error.message}\n`).catch(() => undefined);
      });
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function makeServer(
  options: { users: UserDirectory; emlDir: string; bridgeUrl?: string; ca?: TestCa; port: SavedEnvelope['port'] },
  extra: Partial<SMTPServerOptions>,
): SMTPServer {
  const { users, emlDir } = options;
  const authEnabled = options.bridgeUrl !== undefined;

  const onAuth = (auth: SMTPServerAuthentication, _session: SMTPServerSession, callback: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void): void => {
    (async () => {
      const username = (auth.username ?? '').toLowerCase();
      if (auth.method === 'XOAUTH2') {
        const answer = options.bridgeUrl ? await askBridge(options.bridgeUrl, auth.accessToken ?? '') : { active: false };
        if (answer.active && answer.username?.toLowerCase() === username) return callback(null, { user: { email: username, method: 'XOAUTH2' } satisfies SessionUser });
        // The RFC 7628 failure: a JSON challenge, then 535 (nodemailer and Gmail behave the same way).
        return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
      }
      if (users.checkPassword(username, auth.password ?? '')) return callback(null, { user: { email: username, method: auth.method } satisfies SessionUser });
      const failure: Error & { responseCode?: number } = new Error('Authentication credentials invalid');
      failure.responseCode = 535;
      return callback(failure);
    })().catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
  };

  return new SMTPServer({
    name: 'smtp.testbed.localhost',
    banner: 'Mail Settings test bed',
    logger: false,
    // Don't keep teardown waiting for clients that never QUIT.
    closeTimeout: 500,
    size: 25 * 1024 * 1024,
    disableReverseLookup: true,
    ...(options.ca ? { key: options.ca.keyPem, cert: options.ca.certPem } : {}),
    ...(authEnabled ? { authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'], onAuth } : { authOptional: true, disabledCommands: ['AUTH'] }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        (async () => {
          const raw = Buffer.concat(chunks);
          const rcptTo = session.envelope.rcptTo.map((r) => r.address);
          const deliveredTo = await deliverToMaildirs(users, rcptTo, raw);
          const id = `${Date.now()}-${randomUUID()}`;
          const user = session.user as SessionUser | undefined;
          const envelope: SavedEnvelope = {
            id,
            receivedAt: new Date().toISOString(),
            port: options.port,
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            rcptTo,
            user: user?.email ?? null,
            authMethod: user?.method ?? null,
            secure: session.secure,
            deliveredTo,
          };
          // .json first, .eml last via rename: a test polling for *.eml never sees a partial file.
          await writeFile(join(emlDir, `${id}.json`), JSON.stringify(envelope, null, 2));
          await writeFile(join(emlDir, `${id}.eml.part`), raw);
          await rename(join(emlDir, `${id}.eml.part`), join(emlDir, `${id}.eml`));
          callback(null, `Queued as ${id}`);
        })().catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
    ...extra,
  });
}

/** The authenticating SMTP server on three loopback ports (STARTTLS, implicit TLS, plain). */
export async function startSmtpServer(options: { users: UserDirectory; ca: TestCa; bridgeUrl: string; emlDir: string }): Promise<RunningSmtp> {
  await mkdir(options.emlDir, { recursive: true });
  const servers = {
    starttls: makeServer({ ...options, port: 'starttls' }, {}),
    tls: makeServer({ ...options, port: 'tls' }, { secure: true }),
    plain: makeServer({ ...options, port: 'plain' }, { hideSTARTTLS: true, allowInsecureAuth: true }),
  };
  const started: SMTPServer[] = [];
  try {
    const ports: Record<keyof SmtpPorts, number> = { starttls: 0, tls: 0, plain: 0 };
    for (const [name, server] of Object.entries(servers) as Array<[keyof SmtpPorts, SMTPServer]>) {
      ports[name] = await listen(server, join(options.emlDir, '..', `smtp-server-${name}.log`));
      started.push(server);
    }
    return {
      ports,
      emlDir: options.emlDir,
      stop: async () => {
        await Promise.all(started.map(closeServer));
      },
    };
  } catch (error) {
    await Promise.all(started.map(closeServer));
    throw error;
  }
}

/** The relay sink behind Dovecot's submission service: no auth, no TLS, delivers into Maildirs. */
export async function startRelaySink(options: { users: UserDirectory; emlDir: string }): Promise<{ port: number; emlDir: string; stop(): Promise<void> }> {
  await mkdir(options.emlDir, { recursive: true });
  const server = makeServer({ users: options.users, emlDir: options.emlDir, port: 'relay' }, { hideSTARTTLS: true });
  const port = await listen(server, join(options.emlDir, '..', 'relay-sink.log'));
  return { port, emlDir: options.emlDir, stop: () => closeServer(server) };
}
