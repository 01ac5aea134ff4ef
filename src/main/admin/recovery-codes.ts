import { randomInt } from 'node:crypto';
import { hashSecret, recoveryCodeCost, verifySecret } from './password-hash';

/**
 * Recovery codes: for the day the phone with the authenticator app is lost. Ten, shown once, each
 * accepted once; only their scrypt hashes are kept.
 */

export const recoveryCodeCount = 10;
/** Digits and lower-case letters without 0/o, 1/l/i: nothing to misread when copied from paper (31 symbols, about 49.5 bits a code). */
const alphabet = '23456789abcdefghjkmnpqrstuvwxyz';

/** `xxxxx-xxxxx`, drawn uniformly (crypto.randomInt rejects biased draws). */
export function newRecoveryCode(): string {
  const characters = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]);
  return `${characters.slice(0, 5).join('')}-${characters.slice(5).join('')}`;
}

export function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < recoveryCodeCount) codes.add(newRecoveryCode());
  return [...codes];
}

/** The code as it is hashed: lower-case, without the dash or spaces, as people may type it. */
export function normalizedRecoveryCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toLowerCase();
}

export function looksLikeRecoveryCode(typed: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalizedRecoveryCode(typed));
}

export function hashRecoveryCodes(codes: readonly string[]): Promise<string[]> {
  return Promise.all(codes.map((code) => hashSecret(normalizedRecoveryCode(code), recoveryCodeCost)));
}

/** The index of the stored hash `typed` matches, or -1; every hash is checked, so the time says nothing of which. */
export async function matchRecoveryCode(typed: string, hashes: readonly string[]): Promise<number> {
  const code = normalizedRecoveryCode(typed);
  const matches = await Promise.all(hashes.map((hash) => verifySecret(code, hash)));
  return matches.indexOf(true);
}
