import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../../src/main/admin/base32';
import { hotp, matchTotp, newTotpSecret, otpauthUri, setupKeyOf, totpAt, totpStep } from '../../src/main/admin/totp';

describe('base32 (RFC 4648 section 10 test vectors, unpadded as key URIs have it)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  it.each(vectors)('%j ⇄ %s', (text, encoded) => {
    expect(encodeBase32(Buffer.from(text))).toBe(encoded);
    expect(Buffer.from(decodeBase32(encoded) ?? []).toString()).toBe(text);
  });

  it('reads a key as people type it (lower case, spaces, padding) and refuses what is not base32', () => {
    expect(Buffer.from(decodeBase32('mzxw 6ytb oi======') ?? []).toString()).toBe('foobar');
    expect(decodeBase32('MZXW1')).toBeNull();
  });
});

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 Appendix B, SHA-1 rows: the 20-byte ASCII seed, 8-digit codes, X = 30 s, T0 = 0.
  const seed = Buffer.from('12345678901234567890');
  const appendixB: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  it.each(appendixB)('Appendix B: T = %i s gives %s (HOTP truncation, 8 digits)', (seconds, code) => {
    expect(hotp(seed, totpStep(new Date(seconds * 1000)), 8)).toBe(code);
  });

  it('gives the 6-digit codes the otpauth package gives, for random secrets at random moments', () => {
    for (let round = 0; round < 20; round += 1) {
      const secret = newTotpSecret();
      const at = new Date(1_700_000_000_000 + Math.floor(Math.random() * 10 ** 11));
      const reference = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
      expect(totpAt(secret, at)).toBe(reference.generate({ timestamp: at.getTime() }));
    }
  });

  it('makes 20-byte secrets (RFC 4226 R6: 160 bits), each different', () => {
    const secret = newTotpSecret();
    expect(decodeBase32(secret)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('accepts the code of the step before and after (clock drift), names the step, and nothing further', () => {
    const secret = newTotpSecret();
    const at = new Date(1_750_000_015_000);
    const step = totpStep(at);
    const reference = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    const codeAt = (offsetSteps: number): string => reference.generate({ timestamp: at.getTime() + offsetSteps * 30_000 });
    expect(matchTotp(secret, codeAt(0), at)).toBe(step);
    expect(matchTotp(secret, codeAt(-1), at)).toBe(step - 1);
    expect(matchTotp(secret, codeAt(1), at)).toBe(step + 1);
    expect(matchTotp(secret, codeAt(2), at)).toBeNull();
    expect(matchTotp(secret, codeAt(-2), at)).toBeNull();
    const spaced = `${codeAt(0).slice(0, 3)} ${codeAt(0).slice(3)}`;
    expect(matchTotp(secret, spaced, at)).toBe(step);
    expect(matchTotp(secret, '12345', at)).toBeNull();
  });

  it('writes the key URI authenticator apps scan: issuer, account, secret, SHA1, 6 digits, 30 s', () => {
    const secret = newTotpSecret();
    const uri = otpauthUri('anna+crm@example.com', secret);
    expect(uri).toBe(`otpauth://totp/Mail%20Settings:anna%2Bcrm%40example.com?secret=${secret}&issuer=Mail%20Settings&algorithm=SHA1&digits=6&period=30`);
    const parsed = URI.parse(uri);
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed).toMatchObject({ issuer: 'Mail Settings', label: 'anna+crm@example.com', algorithm: 'SHA1', digits: 6, period: 30 });
    expect(parsed.secret.base32).toBe(secret);
  });

  it('groups the setup key by four for typing', () => {
    expect(setupKeyOf('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGH')).toBe('ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567 ABCD EFGH');
  });
});
