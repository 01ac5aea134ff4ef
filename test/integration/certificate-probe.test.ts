import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCertificate } from '../../src/main/mail/certificate-probe';
import { trustServerCertificate } from '../../src/main/mail/certificate-trust';
import type { TrustedCertificate } from '../../src/main/settings/settings-schema';
import { selfSignedImapServer } from '../support/fake-mail-servers';
import { testbed } from '../testbed/client';

/**
 * The certificate probe reads what a server presents before anything is sent: after the greeting, in
 * the protocol's own words for STARTTLS (SMTP's EHLO/STARTTLS, IMAP's CAPABILITY/STARTTLS), or at once
 * on an implicit-TLS port. It is what "Trust this certificate" pins, so it must see the same certificate
 * the real connection will.
 */
describe('the certificate probe', () => {
  let dir: string;
  let testCaLeaf: string;
  const host = '127.0.0.1';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-probe-'));
    testCaLeaf = new X509Certificate(await readFile(testbed().ca.certPath)).fingerprint256;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads Dovecot’s certificate behind IMAP STARTTLS, on IMAPS, and behind SMTP STARTTLS: the test CA’s leaf', async () => {
    const { ports } = testbed().dovecot;
    const imapStartTls = await probeCertificate({ protocol: 'imap', host, port: ports.imap, security: 'starttls' });
    expect(imapStartTls?.summary).toMatchObject({ host, port: ports.imap, fingerprint256: testCaLeaf });
    expect(imapStartTls?.anchorPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect((await probeCertificate({ protocol: 'imap', host, port: ports.imaps, security: 'tls' }))?.summary.fingerprint256).toBe(testCaLeaf);
    expect((await probeCertificate({ protocol: 'smtp', host, port: ports.submission, security: 'starttls' }))?.summary.fingerprint256).toBe(testCaLeaf);
  });

  it('does not take one protocol’s greeting for another’s', async () => {
    const { ports } = testbed().dovecot;
    expect(await probeCertificate({ protocol: 'smtp', host, port: ports.imap, security: 'starttls' }, 2000)).toBeNull();
    expect(await probeCertificate({ protocol: 'imap', host, port: ports.submission, security: 'starttls' }, 2000)).toBeNull();
  });

  it('asks an IMAP server for its CAPABILITY when the greeting has none, then STARTTLS, and sends nothing else', async () => {
    const server = await selfSignedImapServer(dir, 'starttls');
    try {
      const probed = await probeCertificate({ protocol: 'imap', host, port: server.port, security: 'starttls' });
      expect(probed?.summary).toMatchObject({ fingerprint256: server.fingerprint, subject: '127.0.0.1' });
      expect(server.commands).toEqual(['a CAPABILITY', 'b STARTTLS']);
    } finally {
      await server.close();
    }
  });

  it('never sends STARTTLS to an IMAP server that does not list it (RFC 3501 §6.2.1)', async () => {
    const server = await selfSignedImapServer(dir, 'no-starttls');
    try {
      expect(await probeCertificate({ protocol: 'imap', host, port: server.port, security: 'starttls' })).toBeNull();
      expect(server.commands).toEqual(['a CAPABILITY']);
    } finally {
      await server.close();
    }
  });

  it('“Trust this certificate” for an IMAP server pins the certificate it still shows, and refuses another fingerprint', async () => {
    const server = await selfSignedImapServer(dir, 'starttls');
    const pinned: Array<{ key: string; certificate: TrustedCertificate }> = [];
    const deps = { settings: { trustCertificate: (key: string, certificate: TrustedCertificate) => void pinned.push({ key, certificate }) }, now: () => new Date('2025-01-02T03:04:05Z') };
    const connection = { serverName: host, port: server.port, security: 'starttls' as const };
    try {
      expect(await trustServerCertificate(deps, 'imap', connection, testCaLeaf)).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_CHANGED' } });
      expect(pinned).toEqual([]);
      expect(await trustServerCertificate(deps, 'imap', connection, server.fingerprint)).toEqual({ ok: true, value: undefined });
      expect(pinned).toEqual([{ key: `${host}:${server.port}`, certificate: { fingerprint256: server.fingerprint, pem: expect.stringContaining('BEGIN CERTIFICATE'), trustedAt: '2025-01-02T03:04:05.000Z' } }]);
    } finally {
      await server.close();
    }
  });

  it('reads an untrusted certificate on an implicit-TLS IMAP port', async () => {
    const server = await selfSignedImapServer(dir, 'tls');
    try {
      expect((await probeCertificate({ protocol: 'imap', host, port: server.port, security: 'tls' }))?.summary.fingerprint256).toBe(server.fingerprint);
    } finally {
      await server.close();
    }
  });
});
