import { describe, expect, it } from 'vitest';
import { hashSecret, recoveryCodeCost, verifySecret } from '../../src/main/admin/password-hash';
import { passwordProblems, weakPassword } from '../../src/main/admin/password-rules';
import { hashRecoveryCodes, matchRecoveryCode, newRecoveryCodes } from '../../src/main/admin/recovery-codes';

describe('administrator passwords: strength rules in plain words', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblems('correct horse battery staple', 'anna.smith@example.com')).toEqual([]);
  });

  it.each([
    ['short1!', 'Use at least 12 characters.'],
    ['anna.smith@example.com', 'Don’t use your email address or your name in it.'],
    ['AnnaSmith2024!!', 'Don’t use your email address or your name in it.'],
    ['aaaaaaaaaaaaaaaa', 'Don’t repeat one character: mix several.'],
    ['Password1234', 'This password is one of the most common ones: choose another.'],
    ['123456789012', 'This password is one of the most common ones: choose another.'],
  ])('refuses %j: %s', (password, sentence) => {
    expect(passwordProblems(password, 'anna.smith@example.com')).toContain(sentence);
  });

  it('answers ADMIN_PASSWORD_WEAK with the sentences under fieldErrors.password', () => {
    const error = weakPassword(passwordProblems('short', 'a@b.example'));
    expect(error).toMatchObject({ code: 'ADMIN_PASSWORD_WEAK', fieldErrors: { password: 'Use at least 12 characters.' } });
    expect(error.message).toContain('Use at least 12 characters.');
  });
});

describe('scrypt hashes', () => {
  it('salts each hash, keeps its parameters in it, and verifies only the right secret', async () => {
    const first = await hashSecret('correct horse battery staple', recoveryCodeCost);
    const second = await hashSecret('correct horse battery staple', recoveryCodeCost);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(first).not.toContain('correct horse');
    expect(await verifySecret('correct horse battery staple', first)).toBe(true);
    expect(await verifySecret('correct horse battery stapl', first)).toBe(false);
  });

  it('refuses a stored hash that is malformed or asks for an outsized cost, without running it', async () => {
    expect(await verifySecret('x', 'plain-text')).toBe(false);
    const [, , r, p, salt, hash] = (await hashSecret('x', recoveryCodeCost)).split('$');
    expect(await verifySecret('x', ['scrypt', 2 ** 24, r, p, salt, hash].join('$'))).toBe(false);
  });
});

describe('recovery codes', () => {
  it('are ten xxxxx-xxxxx codes without look-alike characters, all different', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}$/);
  });

  it('are kept as hashes and matched however they are typed (case, dash)', async () => {
    const codes = newRecoveryCodes();
    const hashes = await hashRecoveryCodes(codes);
    expect(hashes.join('\n')).not.toContain(codes[3] ?? '-');
    expect(hashes.join('\n')).not.toContain((codes[3] ?? '-').replace('-', ''));
    expect(await matchRecoveryCode(codes[3] ?? '', hashes)).toBe(3);
    expect(await matchRecoveryCode((codes[7] ?? '').replace('-', '').toUpperCase(), hashes)).toBe(7);
    expect(await matchRecoveryCode('22222-22222', hashes)).toBe(-1);
  });
});
