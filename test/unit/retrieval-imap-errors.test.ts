import { describe, expect, it } from 'vitest';
import { imapErrorOf, type ImapErrorContext } from '../../src/main/inbox/imap-errors';
import { ErrorCode } from '../../src/shared/errors';

/** The error shapes imapflow and Node produce (see the integration tests for the ones the test bed can cause). */
const context: ImapErrorContext = { host: 'imap.example.test', port: 993, security: 'tls', authMethod: 'password', phase: 'connect' };
const imapflowError = (message: string, props: Record<string, unknown>): Error => Object.assign(new Error(message), props);

describe('IMAP failures as the user sees them', () => {
  it('reads [AUTHENTICATIONFAILED] and a bare "NO Login failed" alike as a refused user name or password', () => {
    const coded = imapErrorOf(imapflowError('Command failed', { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED', response: 'Authentication failed.' }), context);
    const bare = imapErrorOf(imapflowError('Command failed', { response: 'Login failed' }), context);
    for (const error of [coded, bare]) {
      expect(error.code).toBe(ErrorCode.ImapAuthFailed);
      expect(error.message).toMatch(/user name or password/);
    }
  });

  it('points Microsoft and Google accounts with MFA to app passwords, and a token to signing in again', () => {
    const refused = imapflowError('Command failed', { authenticationFailed: true });
    expect(imapErrorOf(refused, { ...context, host: 'outlook.office365.com' }).fix).toMatch(/App password/);
    expect(imapErrorOf(refused, { ...context, host: 'imap.gmail.com' }).fix).toMatch(/App passwords/);
    expect(imapErrorOf(refused, context).fix).not.toMatch(/App password/i);
    expect(imapErrorOf(refused, { ...context, authMethod: 'token' }).fix).toMatch(/Re-authenticate Now/);
    const notConnected = imapflowError('Command failed', { authenticationFailed: true, response: 'User is authenticated but not connected.' });
    expect(imapErrorOf(notConnected, { ...context, authMethod: 'token', host: 'outlook.office365.com' }).message).toMatch(/not for this mailbox/);
  });

  it('says when the server signs in only over TLS and SSL is off (LOGINDISABLED, PRIVACYREQUIRED)', () => {
    const plain = { ...context, port: 143, security: 'none' as const };
    expect(imapErrorOf(imapflowError('Login is disabled', { authenticationFailed: true }), plain).code).toBe(ErrorCode.TlsRequired);
    expect(imapErrorOf(imapflowError('Command failed', { authenticationFailed: true, serverResponseCode: 'PRIVACYREQUIRED' }), plain).code).toBe(ErrorCode.TlsRequired);
  });

  it('maps the network and TLS failures', () => {
    const cases: Array<[Error, Partial<ImapErrorContext>, string]> = [
      [imapflowError('getaddrinfo ENOTFOUND imap.example.test', { code: 'ENOTFOUND' }), {}, ErrorCode.UnknownHost],
      [imapflowError('connect ECONNREFUSED', { code: 'ECONNREFUSED' }), {}, ErrorCode.ConnectionRefused],
      [imapflowError('Failed to establish connection in required time', { code: 'CONNECT_TIMEOUT' }), {}, ErrorCode.ConnectionTimedOut],
      [imapflowError('Failed to receive greeting from server in required time. Maybe should use TLS?', { code: 'GREETING_TIMEOUT' }), { security: 'starttls' }, ErrorCode.PlainOnTlsPort],
      [imapflowError('ssl3_get_record:wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), {}, ErrorCode.TlsOnPlainPort],
      [imapflowError('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), {}, ErrorCode.UntrustedCertificate],
      [imapflowError('Server does not support STARTTLS', { tlsFailed: true }), { port: 143, security: 'starttls' }, ErrorCode.StartTlsUnavailable],
      [imapflowError('Connection not available', { code: 'NoConnection' }), { phase: 'retrieve' }, ErrorCode.ConnectionLost],
      [imapflowError('Socket timeout', { code: 'ETIMEOUT' }), { phase: 'retrieve' }, ErrorCode.ConnectionLost],
      [imapflowError('Command failed', { response: 'Mailbox does not exist' }), { phase: 'open' }, ErrorCode.MailboxUnavailable],
    ];
    for (const [error, where, code] of cases) expect(imapErrorOf(error, { ...context, ...where }).code).toBe(code);
  });

  it('explains anything else with its own text, never as a crash', () => {
    const error = imapErrorOf(new Error('something odd'), { ...context, phase: 'retrieve' });
    expect(error).toMatchObject({ code: ErrorCode.Internal });
    expect(error.message).toMatch(/something odd/);
  });
});
