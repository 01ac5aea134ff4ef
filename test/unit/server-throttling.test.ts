import { describe, expect, it } from 'vitest';
import { imapErrorOf, type ImapErrorContext } from '../../src/main/inbox/imap-errors';
import { defaultThrottleBackoffMs, suggestedBackoffMs, waitText } from '../../src/main/inbox/server-throttling';
import { ErrorCode } from '../../src/shared/errors';

const context: ImapErrorContext = { host: 'outlook.office365.com', port: 993, security: 'tls', authMethod: 'token', phase: 'retrieve' };
const imapflowError = (message: string, props: Record<string, unknown>): Error => Object.assign(new Error(message), props);

describe('Office 365 throttling', () => {
  it('reads the suggested wait in milliseconds, written either way', () => {
    expect(suggestedBackoffMs('Request is throttled. Suggested Backoff Time: 299999 milliseconds')).toBe(299_999);
    expect(suggestedBackoffMs('Request is throttled. Suggested Backoff Time: 1500 ms')).toBe(1_500);
    expect(suggestedBackoffMs('BAD Request is throttled.')).toBe(defaultThrottleBackoffMs);
    expect(suggestedBackoffMs('Login failed')).toBeNull();
  });

  it('says the wait in words a user reads', () => {
    expect(waitText(1_500)).toBe('2 seconds');
    expect(waitText(299_999)).toBe('5 minutes');
    expect(waitText(3 * 3_600_000)).toBe('3 hours');
  });

  it('is THROTTLED with the wait, even when it answers the sign-in (never a wrong password)', () => {
    const atSignIn = imapflowError('Command failed', { authenticationFailed: true, responseText: 'Request is throttled. Suggested Backoff Time: 60000 milliseconds' });
    const error = imapErrorOf(atSignIn, { ...context, phase: 'connect' });
    expect(error).toMatchObject({ code: ErrorCode.Throttled, retryAfterMs: 60_000 });
    expect(error.fix).toMatch(/in 60 seconds/);
  });

  it('gives “authenticated but not connected” its own code, wherever it is answered', () => {
    for (const phase of ['connect', 'open'] as const) {
      const error = imapErrorOf(imapflowError('Command failed', { authenticationFailed: phase === 'connect', responseText: 'User is authenticated but not connected.' }), { ...context, phase });
      expect(error.code).toBe(ErrorCode.MailboxNotConnected);
      expect(error.fix).toMatch(/IMAP\.AccessAsUser\.All/);
    }
  });
});
