import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords (and recovery codes) kept as scrypt hashes (RFC 7914) with a random salt each, in one string
 * that carries its parameters, so stronger ones can be chosen later without breaking what is stored:
 * `scrypt$N$r$p$<salt base64>$<hash base64>`.
 */

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's Password Storage Cheat Sheet minimum for scrypt: N = 2^17, r = 8, p = 1 (128 MiB, about 0.3 s here). */
export const passwordCost: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
/**
 * Recovery codes are random (about 50 bits, see recovery-codes.ts), not chosen by a person: a lighter
 * cost still puts guessing them from a stolen file out of reach, and ten are checked in a sign-in.
 */
export const recoveryCodeCost: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };

const saltBytes = 16;
const hashBytes = 32;
/** The largest N accepted from a stored string: a hash edited to ask for more memory is refused, not run. */
const largestN = 2 ** 20;

/** scrypt of the NFC form of `secret`: 32 bytes, a hash to compare or a key (sealed-totp-secret.ts). */
export function derive(secret: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; Node refuses more than maxmem (32 MiB by default).
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, hashBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashSecret(secret: string, cost: ScryptCost = passwordCost): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(secret, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** True when `secret` is the one `stored` was made from; compared in constant time. False for a malformed string. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p || N > largestN || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length === 0 || expected.length !== hashBytes) return false;
  const actual = await derive(secret, salt, { N, r, p });
  return timingSafeEqual(actual, expected);
}
