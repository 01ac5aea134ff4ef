import type { PeerCertificate } from 'node:tls';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ServerIdentityChannel } from './retrieval-worker-protocol';

/**
 * A pinned certificate (mail/tls-options.ts) is checked by a function, `tls.checkServerIdentity`, and a
 * function cannot be sent to a worker thread. So the worker's TLS handshake asks the caller's function
 * on the caller's thread: Node calls checkServerIdentity synchronously, so the worker blocks on
 * Atomics.wait (once per connection, for the microseconds the caller takes) and reads the answer with
 * receiveMessageOnPort. The check itself stays one piece of code, wherever the connection is made.
 */

type CheckServerIdentity = (hostname: string, certificate: PeerCertificate) => Error | undefined;

interface IdentityQuestion {
  readonly hostname: string;
  readonly certificate: PeerCertificate;
}

/** The caller's refusal, as data: the worker rebuilds the Error with the same message and code. */
interface IdentityAnswer {
  readonly refusal: { readonly message: string; readonly code: string | undefined } | null;
}

const answerTimeoutMs = 30_000;

/** The caller's side: answers the worker's questions with `check` until closed. */
export function answerServerIdentity(check: CheckServerIdentity): { readonly channel: ServerIdentityChannel; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const answered = new SharedArrayBuffer(4);
  const flag = new Int32Array(answered);
  port1.on('message', ({ hostname, certificate }: IdentityQuestion) => {
    let answer: IdentityAnswer;
    try {
      const refusal = check(hostname, certificate);
      answer = { refusal: refusal ? { message: refusal.message, code: (refusal as NodeJS.ErrnoException).code } : null };
    } catch (error) {
      answer = { refusal: { message: error instanceof Error ? error.message : String(error), code: undefined } };
    }
    // The answer first, then the flag: the worker reads the port as soon as it wakes.
    port1.postMessage(answer);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  // Never what keeps the caller's process alive.
  port1.unref();
  return { channel: { port: port2, answered }, close: () => port1.close() };
}

/** The worker's side: a checkServerIdentity that asks the caller's. */
export function askServerIdentity(channel: ServerIdentityChannel): CheckServerIdentity {
  const flag = new Int32Array(channel.answered);
  const port: MessagePort = channel.port;
  return (hostname, certificate) => {
    Atomics.store(flag, 0, 0);
    // Structured clone keeps the certificate's links (a detailed certificate links to its issuer's, a
    // root to itself); Buffers arrive as Uint8Arrays, which the checks (fingerprints, names) do not read.
    port.postMessage({ hostname, certificate } satisfies IdentityQuestion);
    if (Atomics.wait(flag, 0, 0, answerTimeoutMs) === 'timed-out') return new Error('The server certificate could not be checked (no answer from the app)');
    const reply = receiveMessageOnPort(port)?.message as IdentityAnswer | undefined;
    if (!reply) return new Error('The server certificate could not be checked (no answer from the app)');
    if (!reply.refusal) return undefined;
    return Object.assign(new Error(reply.refusal.message), reply.refusal.code === undefined ? {} : { code: reply.refusal.code });
  };
}

