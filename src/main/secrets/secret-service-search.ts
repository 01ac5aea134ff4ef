import { createConnection } from 'node:net';
import { join } from 'node:path';
import { decodeMessage, encodeMethodCall, messageLength, messageType, type ReceivedMessage } from './dbus-wire';

/** Stored items whose attributes match, split as the Secret Service's SearchItems reports them. */
export interface SecretServiceMatches {
  readonly unlocked: number;
  readonly locked: number;
}

/**
 * The unix socket of the session bus, found as GLib (and so libsecret) finds it: the first `unix:` address
 * with `path=` or `abstract=` in DBUS_SESSION_BUS_ADDRESS (D-Bus Specification, "Server Addresses": values
 * may be %-escaped), else $XDG_RUNTIME_DIR/bus. Undefined when there is none to dial.
 */
export function sessionBusSocket(env: NodeJS.ProcessEnv): string | undefined {
  const address = env['DBUS_SESSION_BUS_ADDRESS'];
  const runtimeDir = env['XDG_RUNTIME_DIR'];
  if (address === undefined || address === '') return runtimeDir ? join(runtimeDir, 'bus') : undefined;
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    if (entry.slice(0, colon) !== 'unix') continue;
    const keys = new Map(
      entry
        .slice(colon + 1)
        .split(',')
        .map((pair) => [pair.slice(0, pair.indexOf('=')), decodeURIComponent(pair.slice(pair.indexOf('=') + 1))] as const),
    );
    const path = keys.get('path');
    if (path !== undefined) return path;
    const abstract = keys.get('abstract');
    // Node dials a Linux abstract socket by a path starting with a nul byte.
    if (abstract !== undefined) return `\0${abstract}`;
  }
  return undefined;
}

const secretService = { destination: 'org.freedesktop.secrets', path: '/org/freedesktop/secrets', interface: 'org.freedesktop.Secret.Service' };
const helloSerial = 1;
const searchSerial = 2;

/**
 * Asks the Secret Service which stored items match `attributes` (org.freedesktop.Secret.Service.SearchItems,
 * Secret Service API): it answers with unlocked and locked items apart, without reading a secret and without
 * a prompt. Used where libsecret cannot tell "nothing stored" from "stored but locked". Resolves undefined
 * when it can't be asked (no bus, no Secret Service, no answer in time): the caller then goes by what
 * keytar said.
 */
export function searchSecretService(
  attributes: Readonly<Record<string, string>>,
  { env = process.env, timeoutMs = 5_000 }: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<SecretServiceMatches | undefined> {
  let socketPath: string | undefined;
  try {
    socketPath = sessionBusSocket(env);
  } catch {
    // A malformed %-escape (URIError): libsecret would not reach that bus either.
    return Promise.resolve(undefined);
  }
  const uid = process.getuid?.();
  if (socketPath === undefined || uid === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = createConnection({ path: socketPath });
    let received = Buffer.alloc(0);
    let authenticated = false;
    const finish = (matches: SecretServiceMatches | undefined) => {
      socket.destroy();
      resolve(matches);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('connect', () => {
      // D-Bus Specification, "Authentication Protocol": a nul byte, then EXTERNAL with the uid as hex-encoded ASCII.
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(String(uid), 'ascii').toString('hex')}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!authenticated) {
        const lineEnd = received.indexOf('\r\n');
        if (lineEnd < 0) return;
        if (!received.subarray(0, lineEnd).toString('ascii').startsWith('OK ')) return finish(undefined);
        authenticated = true;
        received = received.subarray(lineEnd + 2);
        // A bus answers nothing before Hello, which must be the first message.
        socket.write(
          Buffer.concat([
            Buffer.from('BEGIN\r\n', 'ascii'),
            encodeMethodCall({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' }, helloSerial),
            encodeMethodCall({ ...secretService, member: 'SearchItems', args: [attributes] }, searchSerial),
          ]),
        );
      }
      for (let length = messageLength(received); length !== undefined; length = messageLength(received)) {
        const message = decodeMessage(received.subarray(0, length));
        received = received.subarray(length);
        if (message.replySerial === searchSerial) return finish(matchesIn(message));
      }
    });
  });
}

/** SearchItems returns (ao unlocked, ao locked); an error (no Secret Service on the bus) tells nothing. */
function matchesIn(reply: ReceivedMessage): SecretServiceMatches | undefined {
  if (reply.type !== messageType.methodReturn || reply.signature !== 'aoao') return undefined;
  const unlocked = reply.body.objectPaths().length;
  const locked = reply.body.objectPaths().length;
  return { unlocked, locked };
}
