import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret for one launch of `mail-settings ui`: 32 random bytes, base64url (RFC 4648 §5), 43 characters. */
export function createLaunchSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether `candidate` is the launch's secret, in time that does not depend on where they differ. The digests
 * are compared rather than the strings: `timingSafeEqual` needs inputs of one length, and comparing
 * digests does not tell the length of the secret either.
 */
export function isLaunchSecret(candidate: string | undefined, secret: string): boolean {
  if (candidate === undefined) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(candidate), digest(secret));
}
