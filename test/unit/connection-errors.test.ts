import { describe, expect, it } from 'vitest';
import { connectionErrorOf } from '../../src/main/mail/connection-errors';
import { failureFieldsOf } from '../../src/main/mail/failure-fields';
import { smtpErrorOf } from '../../src/main/smtp/smtp-errors';
import type { MailServerConnection } from '../../src/shared/mail-server';

const imap = { serverName: 'imap.example.test', userName: 'leads@example.test', authMethod: 'password', port: 993, security: 'tls', allowInsecureAuth: false } satisfies MailServerConnection;
const smtp = { ...imap, serverName: 'smtp.example.test', port: 587, security: 'starttls' } satisfies MailServerConnection;
const imapErrorOf = (cause: unknown, connection: MailServerConnection = imap) => connectionErrorOf(failureFieldsOf(cause), { protocol: 'imap', connection });
/** imapflow's shapes: Node's socket and TLS errors pass through with their code; its own carry its codes. */
const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('the rows SMTP and IMAP share', () => {
  it('unknown host, refused connection: the same words for both, with each protocol’s servers and ports', () => {
    const notFound = nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND imap.example.test');
    expect(imapErrorOf(notFound)).toMatchObject({ code: 'UNKNOWN_HOST', message: 'No server called “imap.example.test” could be found.', fix: expect.stringContaining('outlook.office365.com or imap.gmail.com') });
    expect(smtpErrorOf(nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND smtp.example.test'), { settings: smtp })).toMatchObject({ code: 'UNKNOWN_HOST', message: 'No server called “smtp.example.test” could be found.', fix: expect.stringContaining('smtp.office365.com or smtp.gmail.com') });

    const refused = imapErrorOf(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:993'));
    expect(refused).toMatchObject({ code: 'CONNECTION_REFUSED', message: 'The server imap.example.test refused the connection on port 993.' });
    expect(refused?.fix).toContain('993 with SSL/TLS or 143 with STARTTLS are usual');
  });

  it('timeouts: connecting, a greeting that never came, a silent socket', () => {
    expect(imapErrorOf(nodeError('CONNECT_TIMEOUT', 'Failed to establish connection in required time'))).toMatchObject({ code: 'CONNECTION_TIMED_OUT', message: 'The server imap.example.test:993 did not answer in time.' });
    expect(imapErrorOf(nodeError('ETIMEOUT', 'Socket timeout'))).toMatchObject({ code: 'CONNECTION_TIMED_OUT' });
    const greeting = nodeError('GREETING_TIMEOUT', 'Failed to receive greeting from server in required time');
    expect(imapErrorOf(greeting, { ...imap, port: 1143, security: 'starttls' })).toMatchObject({ code: 'CONNECTION_TIMED_OUT', message: expect.stringContaining('never greeted') });
  });

  it('TLS against the port: SSL/TLS on 143, a plain start on 993', () => {
    const tlsOnPlain = imapErrorOf(nodeError('ERR_SSL_WRONG_VERSION_NUMBER', 'ssl3_get_record:wrong version number'), { ...imap, port: 143 });
    expect(tlsOnPlain).toMatchObject({ code: 'TLS_ON_PLAIN_PORT', fix: 'Port 993 expects SSL on; 143 uses STARTTLS. For port 143, set SSL to STARTTLS.' });
    const greeting = nodeError('GREETING_TIMEOUT', 'Failed to receive greeting from server in required time. Maybe should use TLS?');
    expect(imapErrorOf(greeting, { ...imap, security: 'starttls' })).toMatchObject({ code: 'PLAIN_ON_TLS_PORT', fix: 'Port 993 expects SSL on; 143 uses STARTTLS. For port 993, set SSL to SSL/TLS.' });
    expect(connectionErrorOf(failureFieldsOf(greeting), { protocol: 'imap', connection: { ...imap, port: 1993, security: 'starttls' }, tlsDetected: true })).toMatchObject({ code: 'PLAIN_ON_TLS_PORT' });
  });

  it('certificates: untrusted (with its fingerprint to check), expired, changed since trusted', () => {
    const certificate = { host: 'imap.example.test', port: 993, fingerprint256: 'AB:CD', subject: 'imap.example.test', issuer: 'Example CA', validFrom: '', validTo: '' };
    const untrusted = connectionErrorOf(failureFieldsOf(nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')), { protocol: 'imap', connection: imap, certificate });
    expect(untrusted).toMatchObject({ code: 'UNTRUSTED_CERTIFICATE', certificate, fix: expect.stringContaining('AB:CD') });
    expect(imapErrorOf(nodeError('CERT_HAS_EXPIRED', 'certificate has expired'))?.message).toContain('expired');
    expect(imapErrorOf(nodeError('CERTIFICATE_CHANGED', 'CERTIFICATE_CHANGED'))).toMatchObject({ code: 'CERTIFICATE_CHANGED' });
  });

  it('leaves what it does not know to the protocol’s own rows', () => {
    expect(imapErrorOf(Object.assign(new Error('Command failed'), { serverResponseCode: 'AUTHENTICATIONFAILED', responseText: 'Authentication failed.' }))).toBeNull();
  });
});
