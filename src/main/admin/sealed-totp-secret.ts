import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { derive, passwordCost } from './password-hash';

/**
 * An administrator's TOTP secret as the shared records database keeps it (team mode): encrypted with
 * AES-256-GCM under a key derived from the administrator's own password with scrypt (RFC 7914), with the
 * email address as associated data. The database alone, or a copy of it, does not give the second factor
 * away: opening the secret takes the password, which the database holds only as a verifier. Every
 * installation of the team can then check the security number after the password step, as the one where
 * it was set up does. `v1$<salt>$<iv>$<tag>$<ciphertext>`, base64 each.
 */

const saltBytes = 16;
/** 96 bits: the size GCM is specified for (NIST SP 800-38D, 5.2.1.1). */
const ivBytes = 12;

export async function sealTotpSecret(secret: string, password: string, email: string): Promise<string> {
  // A salt of its own: the password hash the database also holds is never this key.
  const salt = randomBytes(saltBytes);
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', await derive(password, salt, passwordCost), iv);
  cipher.setAAD(Buffer.from(email, 'utf8'));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', salt, iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64'))).join('$');
}

/** The secret, or null when the password is not the one it was sealed with, or the value was altered. */
export async function openTotpSecret(sealed: string, password: string, email: string): Promise<string | null> {
  const parts = sealed.split('$');
  if (parts.length !== 5 || parts[0] !== 'v1') return null;
  const [salt, iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64'));
  if (!salt || !iv || !tag || !ciphertext || salt.length !== saltBytes || iv.length !== ivBytes || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', await derive(password, salt, passwordCost), iv);
    decipher.setAAD(Buffer.from(email, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
