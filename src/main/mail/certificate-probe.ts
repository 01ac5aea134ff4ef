import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { CertificateSummary } from '../../shared/errors';
import type { MailProtocol, SecurityMode } from '../../shared/mail-server';
import { lineReader } from './line-reader';
import { startTlsDialogues } from './starttls-dialogues';
import { tlsServerName } from './tls-options';

export interface ProbedCertificate {
  readonly summary: CertificateSummary;
  /** The top of the chain the server presented, in PEM: the anchor to trust if the user says so. */
  readonly anchorPem: string;
}

/** The server to ask, and how its connection is secured: TLS from the first byte, or STARTTLS in its protocol's words. */
export interface ProbeTarget {
  readonly protocol: MailProtocol;
  readonly host: string;
  readonly port: number;
  readonly security: SecurityMode;
}

/**
 * Reads the certificate a mail server presents, to show it to the user when it is not trusted. This
 * connection never authenticates and sends no mail: it stops right after the TLS handshake, which is why
 * it alone may skip verification. Implicit TLS (465, 993) or STARTTLS (587, 143) as configured.
 */
export async function probeCertificate({ protocol, host, port, security }: ProbeTarget, timeoutMs = 8000): Promise<ProbedCertificate | null> {
  if (security === 'none') return null;
  let tcp: Socket | undefined;
  let tlsSocket: TLSSocket | undefined;
  const timer = setTimeout(() => {
    tcp?.destroy();
    tlsSocket?.destroy();
  }, timeoutMs);
  try {
    const servername = tlsServerName(host);
    if (security === 'starttls') {
      const plain = connectTcp({ host, port });
      tcp = plain;
      const lines = lineReader(plain);
      const agreed = await startTlsDialogues[protocol](lines, (command) => plain.write(`${command}\r\n`));
      if (!agreed) return null;
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
