import { Secret, TOTP } from 'otpauth';

/**
 * The security number an authenticator app would show for a setup key, computed with the `otpauth`
 * package: an implementation independent of the app's own (src/main/admin/totp.ts).
 */
export function authenticatorCode(setupKey: string, at: Date = new Date()): string {
  const totp = new TOTP({ secret: Secret.fromBase32(setupKey.replace(/\s/g, '')), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: at.getTime() });
}

/** A password that passes the strength rules, for test administrators. */
export const testAdminPassword = 'correct horse battery staple';
