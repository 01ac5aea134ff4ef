import { describe, expect, it } from 'vitest';
import { redact, redactMessage, SecretRegistry } from '../../src/main/log/redact';
import { redactValue } from '../../src/main/log/redact-value';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('redaction of logs and error messages', () => {
  it('blanks values the app knows are secret, wherever they appear', () => {
    const registry = new SecretRegistry();
    registry.remember('hunter2-very-secret');
    expect(redact('535 Authentication failed for password hunter2-very-secret', registry.values())).toBe(
      '535 Authentication failed for password [redacted]',
    );
  });

  it.each([
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc', 'Authorization: Bearer [redacted]'],
    ['{"access_token":"at-123456","token_type":"Bearer"}', '{"access_token":"[redacted]","token_type":"Bearer"}'],
    ['grant_type=refresh_token&refresh_token=rt-abcdef&client_id=x', 'grant_type=refresh_token&refresh_token=[redacted]&client_id=x'],
    ['user=a@b.c\x01auth=Bearer ya29.token-value\x01\x01', 'user=a@b.c\x01auth=Bearer [redacted]\x01\x01'],
    ['AUTH XOAUTH2 dXNlcj1hQGIuYwFhdXRoPUJlYXJlciB5YTI5AQE=', 'AUTH XOAUTH2 [redacted]'],
    ['smtp://alice:s3cret@mail.example.com', 'smtp://alice:[redacted]@mail.example.com'],
    // Already redacted, or the pattern a fix shows: left as they are, so the message still reads.
    ['postgres://crm:***@db.example.com/crm', 'postgres://crm:***@db.example.com/crm'],
    ['postgres://USER:PASSWORD@HOST:5432/DATABASE', 'postgres://USER:PASSWORD@HOST:5432/DATABASE'],
    ['postgres://crm:***x@db.example.com/crm', 'postgres://crm:[redacted]@db.example.com/crm'],
    ['password=hunter2 host=x', 'password=[redacted] host=x'],
  ])('blanks secret shapes: %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary messages alone', () => {
    const text = 'Connection refused by smtp.example.com:587 (ECONNREFUSED)';
    expect(redact(text)).toBe(text);
  });

  it.each([
    // RFC 4616: [authzid] NUL authcid NUL passwd; the base64 is AHVzZXIAcGFzcw==.
    ['C: AUTH PLAIN AHVzZXIAcGFzcw==', 'C: AUTH PLAIN [redacted]'],
    ['A1 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==', 'A1 AUTHENTICATE PLAIN [redacted]'],
    // The credential on its own line, after the server's empty 334 challenge.
    ['S: 334 \nC: AHVzZXIAcGFzcw==\nS: 235 2.7.0 Accepted', 'S: 334 \nC: [redacted]\nS: 235 2.7.0 Accepted'],
    [`C: ${base64('admin\0alice@example.com\0correct horse')}`, 'C: [redacted]'],
    // XOAUTH2 whatever the user name's first character (the 7th base64 character varies with it).
    [`C: ${base64('user=1234@example.com\x01auth=Bearer ya29.a0-token\x01\x01')}`, 'C: [redacted]'],
    [`C: ${base64('user=élise@example.com\x01auth=Bearer ya29.a0-token\x01\x01')}`, 'C: [redacted]'],
    // OAUTHBEARER (RFC 7628 §3.1), with and without an authzid in the GS2 header.
    [`A1 AUTHENTICATE OAUTHBEARER ${base64('n,a=user@example.com,\x01host=imap.example.com\x01port=993\x01auth=Bearer tok\x01\x01')}`, 'A1 AUTHENTICATE OAUTHBEARER [redacted]'],
    [`C: ${base64('n,,\x01auth=Bearer eyJ0eXAi-opaque\x01\x01')}`, 'C: [redacted]'],
    ['n,a=user@example.com,\x01auth=Bearer opaque-token\x01\x01', 'n,a=user@example.com,\x01auth=Bearer [redacted]\x01\x01'],
    // Cut short (a message trimmed to a length): no longer decodes whole, still recognised by its start.
    ['334 dXNlcj1hbGljZUBleGFt', '334 [redacted]'],
    ['334 bixhPWFsaWNlQGV4', '334 [redacted]'],
  ])('blanks SASL credentials, encoded or not: %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('blanks a known secret in the forms it takes in transcripts and bodies: base64 (AUTH LOGIN), percent-encoded, JSON-escaped', () => {
    const secret = 'pa"ss\\w0rd&more';
    const text = [`C: ${base64(secret)}`, `password%3D${encodeURIComponent(secret)}`, JSON.stringify({ detail: secret })].join(' | ');
    expect(redact(text, [secret])).toBe('C: [redacted] | password%3D[redacted] | {"detail":"[redacted]"}');
  });

  it('for messages a person reads, blanks known secrets and unmistakable shapes but leaves prose alone', () => {
    const prose = 'Choose Normal Password (basic authentication). Enter it as the password: sign in, then AUTH PLAIN works.';
    expect(redactMessage(prose, ['not-in-there'])).toBe(prose);
    expect(redactMessage(`${prose} ${base64('\0u\0p4ss')}`)).toBe(`${prose} [redacted]`);
    expect(redactMessage('rejected hunter2-very-secret', ['hunter2-very-secret'])).toBe('rejected [redacted]');
  });
});

describe('redaction of structured values, before they are serialised', () => {
  it('walks nested objects and arrays, and blanks values under secret-named keys', () => {
    const value = {
      request: { url: 'https://idp.example/token', headers: { Authorization: 'opaque-value-1234', 'x-api-key': 'k-5678' } },
      body: [{ grant_type: 'refresh_token', refresh_token: 'rt-0001' }, { clientSecret: 'cs-0002', tokenType: 'Bearer', passwordStored: true }],
      auth: { user: 'alice', pass: 'p-0003', accessToken: { nested: 'at-0004' } },
      note: 'server said password=p-0005',
    };
    expect(redactValue(value)).toEqual({
      request: { url: 'https://idp.example/token', headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]' } },
      body: [{ grant_type: 'refresh_token', refresh_token: '[redacted]' }, { clientSecret: '[redacted]', tokenType: 'Bearer', passwordStored: true }],
      auth: { user: 'alice', pass: '[redacted]', accessToken: '[redacted]' },
      note: 'server said password=[redacted]',
    });
  });

  it('keeps an Error’s name, message, stack, cause and fields, each redacted', () => {
    const cause = Object.assign(new Error('535 5.7.8 for hunter2-very-secret'), { code: 'EAUTH', response: `AUTH PLAIN ${base64('\0u\0hunter2-very-secret')}` });
    const error = new Error('sending failed', { cause });
    const redacted = redactValue({ error }, ['hunter2-very-secret']) as { error: Record<string, unknown> & { cause: Record<string, unknown> } };
    expect(redacted.error).toMatchObject({ name: 'Error', message: 'sending failed', stack: expect.stringContaining('sending failed') });
    expect(redacted.error.cause).toMatchObject({ message: '535 5.7.8 for [redacted]', code: 'EAUTH', response: 'AUTH PLAIN [redacted]' });
    expect(JSON.stringify(redacted)).not.toContain('hunter2');
  });

  it('survives cycles and binary data without printing either', () => {
    const looped: Record<string, unknown> = { name: 'loop', bytes: Buffer.from('AUTH PLAIN secret') };
    looped['self'] = looped;
    expect(redactValue(looped)).toEqual({ name: 'loop', bytes: '[17 bytes]', self: '[circular]' });
  });
});
