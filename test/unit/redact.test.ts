import { describe, expect, it } from 'vitest';
import { redact, SecretRegistry } from '../../src/main/log/redact';

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
    ['password=hunter2 host=x', 'password=[redacted] host=x'],
  ])('blanks secret shapes: %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary messages alone', () => {
    const text = 'Connection refused by smtp.example.com:587 (ECONNREFUSED)';
    expect(redact(text)).toBe(text);
  });
});
