import { createHash } from 'node:crypto';

/**
 * A digest of a keychain item of tokens: equal digests, same tokens. Compared instead of the item itself,
 * so no token value leaves the provider that reads it.
 */
export function storedTokensVersionOf(stored: string | null): string | null {
  return stored === null ? null : createHash('sha256').update(stored, 'utf8').digest('hex');
}
