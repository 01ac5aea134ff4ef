import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateSummary } from '../../shared/errors';
import type { SecurityMode } from '../../shared/send-direct';

export interface ProbedCertificate {
  readonly summary: CertificateSummary;
  /** The top of the chain the server presented, in PEM: the anchor to trust if the user says so. */
  readonly anchorPem: string;
}

/**
 * Reads the certificate a mail server presents, to show it to the user when it is not trusted. This
 * connection never authenticates and sends no mail: it stops right after the TLS handshake, which is why
 * it alone may skip verification. Implicit TLS (465) or STARTTLS (587) as configured.
 */
export async function probeCertificate(host: string, port: number, security: SecurityMode, timeoutMs = 8000): Promise<ProbedCertificate | null> {
  if (security === 'none') return null;
  let tcp: Socket | undefined;
  let tlsSocket: TLSSocket | undefined;
  const timer = setTimeout(() => {
    tcp?.destroy();
    tlsSocket?.destroy();
  }, timeoutMs);
  try {
    const servername = /^[\d.:[\]]+$/.test(host) ? undefined : host;
    if (security === 'starttls') {
      tcp = connectTcp({ host, port });
      const lines = lineReader(tcp);
      await expectReply(lines, '220');
      tcp.write('EHLO mail-settings.localhost\r\n');
      const extensions = await expectReply(lines, '250');
      // RFC 3207 §4: STARTTLS only where the EHLO reply offers it.
      if (!extensions.some((line) => /^STARTTLS\b/i.test(line.slice(4)))) return null;
      tcp.write('STARTTLS\r\n');
      await expectReply(lines, '220');
      lines.detach();
    }
    tlsSocket = await new Promise<TLSSocket>((resolve, reject) => {
      const socket = connectTls({
        ...(tcp ? { socket: tcp } : { host, port }),
        ...(servername ? { servername } : {}),
        rejectUnauthorized: false, // inspection only: see above
      });
      // Known to the timer at once: a server that never answers the handshake must not hang the probe.
      tlsSocket = socket;
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('closed during the handshake')));
    });
    const leaf = tlsSocket.getPeerCertificate(true);
    if (!leaf || !leaf.raw) return null;
    return { summary: summarize(host, port, leaf), anchorPem: toPem(topOfChain(leaf).raw) };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    tlsSocket?.destroy();
    tcp?.destroy();
  }
}

function summarize(host: string, port: number, cert: DetailedPeerCertificate): CertificateSummary {
  const name = (entity: Record<string, unknown> | undefined): string => String(entity?.['CN'] ?? entity?.['O'] ?? '');
  return {
    host,
    port,
    fingerprint256: cert.fingerprint256,
    subject: name(cert.subject as unknown as Record<string, unknown>),
    issuer: name(cert.issuer as unknown as Record<string, unknown>),
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: new Date(cert.valid_to).toISOString(),
  };
}

function topOfChain(leaf: DetailedPeerCertificate): DetailedPeerCertificate {
  let current = leaf;
  for (let depth = 0; depth < 10 && current.issuerCertificate && current.issuerCertificate !== current; depth++) {
    current = current.issuerCertificate;
  }
  return current;
}

export function toPem(der: Buffer): string {
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

interface LineReader {
  next(): Promise<string>;
  detach(): void;
}

function lineReader(socket: Socket): LineReader {
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

/** Reads one (possibly multi-line) SMTP reply, checks its code and answers its lines. */
async function expectReply(lines: LineReader, code: string): Promise<string[]> {
  const reply: string[] = [];
  for (;;) {
    const line = await lines.next();
    if (!line.startsWith(code)) throw new Error(`unexpected reply: ${line.slice(0, 80)}`);
    reply.push(line);
    if (line.charAt(3) !== '-') return reply;
  }
}
