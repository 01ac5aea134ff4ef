import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase32, encodeBase32 } from './base32';

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them by default: HMAC-SHA1, 6 digits,
 * a 30-second step, accepted one step either side for clock drift (RFC 6238 section 5.2).
 */

export const totpIssuer = 'Mail Settings';
export const totpDigits = 6;
export const totpPeriodSeconds = 30;
/** Steps accepted either side of the current one: a phone's clock a little off, a code typed at the turn of a step. */
const driftSteps = 1;
/** 160 bits: the length of an HMAC-SHA1 key that RFC 4226 section 4 recommends (R6). */
const secretBytes = 20;

/** A new TOTP secret, in base32 as the authenticator app and the keychain get it. */
export function newTotpSecret(): string {
  return encodeBase32(randomBytes(secretBytes));
}

/** RFC 4226 section 5.3: HMAC-SHA1 of the 8-byte counter, dynamic truncation, the last `digits` decimal digits. */
export function hotp(key: Uint8Array, counter: number, digits: number = totpDigits): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 section 4.2: the step a moment falls in (T = floor((time - T0) / X), T0 = 0). */
export function totpStep(at: Date, periodSeconds: number = totpPeriodSeconds): number {
  return Math.floor(at.getTime() / 1000 / periodSeconds);
}

export function totpAt(secret: string, at: Date): string {
  return hotp(secretKey(secret), totpStep(at));
}

/**
 * The step whose code `code` is, within one step of `at`; the newest when two match. Null when none does.
 * The caller refuses a step it accepted before (replay, RFC 6238 section 5.2).
 */
export function matchTotp(secret: string, code: string, at: Date): number | null {
  const typed = code.replace(/\s/g, '');
  if (!/^\d+$/.test(typed) || typed.length !== totpDigits) return null;
  const key = secretKey(secret);
  const current = totpStep(at);
  let matched: number | null = null;
  for (let step = current - driftSteps; step <= current + driftSteps; step += 1) {
    // Compared in constant time, and every step computed, so the time taken says nothing about the code.
    if (timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(typed))) matched = step;
  }
  return matched;
}

function secretKey(secret: string): Uint8Array {
  const key = decodeBase32(secret);
  if (key === null || key.length === 0) throw new Error('A TOTP secret is not base32.');
  return key;
}

/**
 * The key URI authenticator apps scan (Google Authenticator's Key Uri Format, which Microsoft Authenticator
 * reads too): `otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`.
 */
export function otpauthUri(email: string, secret: string): string {
  const label = `${encodeURIComponent(totpIssuer)}:${encodeURIComponent(email)}`;
  const query = [
    `secret=${secret}`,
    `issuer=${encodeURIComponent(totpIssuer)}`,
    'algorithm=SHA1',
    `digits=${totpDigits}`,
    `period=${totpPeriodSeconds}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}

/** The secret in groups of four for typing into the app ("ABCD EFGH …"); the apps ignore the spaces. */
export function setupKeyOf(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}
