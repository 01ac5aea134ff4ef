import { createHash, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBinaries, run } from './proc';

/**
 * A throwaway certificate authority and one server certificate for 127.0.0.1 / localhost, made with the
 * openssl CLI (no npm package needed). Every TLS server of the test bed (IdP, Dovecot, smtp-server) uses
 * the same leaf, so clients trust all of them through one CA.
 */
export interface TestCa {
  readonly caCertPath: string;
  readonly caPem: string;
  readonly certPath: string;
  readonly certPem: string;
  readonly keyPath: string;
  readonly keyPem: string;
  /**
   * base64 SHA-256 of the server certificate's public key, for Chromium's
   * `--ignore-certificate-errors-spki-list=<this>`: Chromium has its own trust store, and this trusts
   * exactly our servers instead of ignoring every certificate error.
   */
  readonly spkiSha256: string;
}

export const openssl = { path: '/usr/bin/openssl', debianPackage: 'openssl' };

export async function createTestCa(dir: string): Promise<TestCa> {
  await requireBinaries([openssl]);
  await mkdir(dir, { recursive: true });
  const path = (name: string): string => join(dir, name);
  // P-256 keys: generating them is instant, RSA 2048 takes a noticeable part of a second on CI.
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run(openssl.path, [
    'req', '-x509', ...ec, '-keyout', path('ca-key.pem'), '-out', path('ca.pem'), '-days', '30',
    '-subj', '/CN=Mail Settings Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run(openssl.path, ['req', '-new', ...ec, '-keyout', path('key.pem'), '-out', path('leaf.csr'), '-subj', '/CN=localhost']);
  await writeFile(
    path('leaf.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  await run(openssl.path, [
    'x509', '-req', '-in', path('leaf.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca-key.pem'), '-CAcreateserial',
    '-out', path('cert.pem'), '-days', '30', '-extfile', path('leaf.ext'),
  ]);
  const [caPem, certPem, keyPem] = await Promise.all([readFile(path('ca.pem'), 'utf8'), readFile(path('cert.pem'), 'utf8'), readFile(path('key.pem'), 'utf8')]);
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  const spkiSha256 = createHash('sha256').update(spki).digest('base64');
  return { caCertPath: path('ca.pem'), caPem, certPath: path('cert.pem'), certPem, keyPath: path('key.pem'), keyPem, spkiSha256 };
}
