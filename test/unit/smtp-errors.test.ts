import { describe, expect, it } from 'vitest';
import { smtpErrorOf } from '../../src/main/smtp/smtp-errors';
import type { SendDirectSettings } from '../../src/shared/send-direct';

const base: SendDirectSettings = {
  serverName: 'smtp.example.test', senderName: 'Sales', senderAddress: 'sales@example.test',
  userName: 'sales@example.test', authMethod: 'password', port: 587, security: 'starttls', allowInsecureAuth: false,
};
const office365: SendDirectSettings = { ...base, serverName: 'smtp.office365.com' };
/** nodemailer's error shapes (test-servers.md). */
const smtp = (code: string, responseCode: number, response: string, command = 'AUTH PLAIN') =>
  Object.assign(new Error(`Invalid login: ${response}`), { code, responseCode, response, command });
const socket = (code: string, inner: string, message = inner) => Object.assign(new Error(message), { code, cause: Object.assign(new Error(message), { code: inner }) });

describe('the SMTP fix-it table', () => {
  it('wrong password at Office 365: check it, or an app password with the steps, or Modern Authentication', () => {
    const error = smtpErrorOf(smtp('EAUTH', 535, '535 5.7.8 Authentication unsuccessful'), { settings: office365 });
    expect(error.code).toBe('SMTP_AUTH_FAILED');
    expect(error.fix).toMatch(/app password/);
    expect(error.fix).toMatch(/Security info.*Add method.*App password/);
    expect(error.fix).toMatch(/Modern Authentication/);
  });

  it('wrong password at Gmail: Google’s app passwords', () => {
    const error = smtpErrorOf(smtp('EAUTH', 535, '535-5.7.8 Username and Password not accepted'), { settings: { ...base, serverName: 'smtp.gmail.com' } });
    expect(error.fix).toMatch(/2-Step Verification/);
  });

  it('wrong password elsewhere: no provider-specific advice', () => {
    const error = smtpErrorOf(smtp('EAUTH', 535, '535 5.7.8 Error: authentication failed'), { settings: base });
    expect(error.code).toBe('SMTP_AUTH_FAILED');
    expect(error.fix).not.toMatch(/Office 365|Google/);
  });

  it('535 5.7.139: SMTP AUTH disabled for the tenant, with how to enable it', () => {
    const error = smtpErrorOf(smtp('EAUTH', 535, '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.'), { settings: office365 });
    expect(error.code).toBe('SMTP_AUTH_DISABLED_FOR_TENANT');
    expect(error.fix).toMatch(/Authenticated SMTP/);
    expect(error.fix).toContain('Set-CASMailbox -Identity sales@example.test -SmtpClientAuthenticationDisabled $false');
  });

  it('535 5.7.3: refused sign-in, shared mailbox and Send As advice', () => {
    const error = smtpErrorOf(smtp('EAUTH', 535, '535 5.7.3 Authentication unsuccessful'), { settings: office365 });
    expect(error.code).toBe('SMTP_AUTH_BLOCKED');
    expect(error.fix).toMatch(/Send As/);
  });

  it('a rejected token: sign in again', () => {
    const error = smtpErrorOf(smtp('EAUTH', 535, '535 5.7.8 Error: authentication failed', 'AUTH XOAUTH2'), { settings: { ...base, authMethod: 'oauth-office365' } });
    expect(error.code).toBe('SMTP_TOKEN_REJECTED');
    expect(error.fix).toMatch(/Re-authenticate Now/);
  });

  it('unknown host, refused connection, timeout', () => {
    expect(smtpErrorOf(socket('EDNS', 'ENOTFOUND', 'getaddrinfo ENOTFOUND smtp.example.test'), { settings: base })).toMatchObject({ code: 'UNKNOWN_HOST', message: expect.stringContaining('smtp.example.test') });
    expect(smtpErrorOf(socket('ESOCKET', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:587'), { settings: base })).toMatchObject({ code: 'CONNECTION_REFUSED', fix: expect.stringMatching(/port number/) });
    expect(smtpErrorOf(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' }), { settings: { ...base, port: 2525 } })).toMatchObject({ code: 'CONNECTION_TIMED_OUT' });
  });

  it('TLS on a plaintext port, and plaintext on a TLS port', () => {
    const tlsOnPlain = smtpErrorOf(socket('ESOCKET', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ssl3_get_record:wrong version number'), { settings: { ...base, security: 'tls', port: 587 } });
    expect(tlsOnPlain).toMatchObject({ code: 'TLS_ON_PLAIN_PORT', fix: expect.stringContaining('Port 465 expects SSL on; 587 uses STARTTLS') });
    const greeting = Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' });
    const plainOnTls = smtpErrorOf(greeting, { settings: { ...base, port: 465, security: 'starttls' } });
    expect(plainOnTls).toMatchObject({ code: 'PLAIN_ON_TLS_PORT', fix: expect.stringContaining('set SSL to SSL/TLS') });
    // On another port, silence alone is not proof: only a port that answered a TLS handshake is.
    expect(smtpErrorOf(greeting, { settings: { ...base, port: 2465, security: 'starttls' } })).toMatchObject({ code: 'CONNECTION_TIMED_OUT', message: expect.stringContaining('never greeted') });
    expect(smtpErrorOf(greeting, { settings: { ...base, port: 2465, security: 'starttls' }, tlsDetected: true })).toMatchObject({ code: 'PLAIN_ON_TLS_PORT' });
  });

  it('an untrusted certificate, with its fingerprint to check', () => {
    const certificate = { host: 'smtp.example.test', port: 465, fingerprint256: 'AB:CD', subject: 'smtp.example.test', issuer: 'Example CA', validFrom: '', validTo: '' };
    const error = smtpErrorOf(socket('ESOCKET', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), { settings: { ...base, port: 465, security: 'tls' }, certificate });
    expect(error).toMatchObject({ code: 'UNTRUSTED_CERTIFICATE', certificate });
    expect(error.message).toMatch(/did not send your password/);
    expect(error.fix).toContain('AB:CD');
  });

  it('a certificate that changed since it was trusted', () => {
    expect(smtpErrorOf(Object.assign(new Error('CERTIFICATE_CHANGED'), { code: 'CERTIFICATE_CHANGED' }), { settings: base }).code).toBe('CERTIFICATE_CHANGED');
  });

  it('a server without STARTTLS when it is required', () => {
    expect(smtpErrorOf(Object.assign(new Error('No STARTTLS support'), { code: 'ETLS' }), { settings: base }).code).toBe('STARTTLS_UNAVAILABLE');
  });

  it('a refused recipient, without echoing secrets', () => {
    const error = smtpErrorOf(smtp('EENVELOPE', 550, '550 5.1.1 <nobody@example.test>: Recipient address rejected', 'RCPT TO'), { settings: base });
    expect(error.code).toBe('RECIPIENT_REJECTED');
  });
});
