import { z } from 'zod';
import type { AccountId } from './accounts';

/**
 * Administrators of this installation (issue 14, seeds 001 and 003): email + password, then the one-time
 * security number of an authenticator app (TOTP, RFC 6238). What the renderer may know of them: never a
 * hash, a TOTP secret or a stored recovery code.
 */

export const adminEmailSchema = z
  .string()
  .trim()
  .min(1, 'Enter the administrator’s email address.')
  .max(254, 'This email address is too long.')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'This is not an email address. It should look like admin@yourcompany.com.');

/** The password as typed; its strength is judged in main (the rules are said in words there). */
export const adminPasswordSchema = z.string().min(1, 'Enter the password.').max(1024, 'This password is too long.');

/**
 * The one-time security number from the authenticator app (6 digits, spaces allowed), or one of the
 * recovery codes (xxxxx-xxxxx).
 */
export const adminCodeSchema = z
  .string()
  .trim()
  .min(1, 'Enter the security number from your authenticator app.')
  .max(32, 'This is not a security number.')
  .regex(/^(\d[\d ]{4,8}\d|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/, 'Enter the 6-digit security number from your authenticator app, or a recovery code.');

export interface AdminSession {
  readonly email: string;
  /** ISO time the session ends unless it is used before (15 idle minutes). */
  readonly expiresAt: string;
}

export interface AdminStatus {
  /** At least one administrator exists (recorded in the settings too, so deleting the store does not lift the protection). */
  readonly administratorsExist: boolean;
  /** The settings say administrators exist, but their store is missing: admin actions are refused. */
  readonly storeMissing: boolean;
  /** The administrator signed in to this app, or null. */
  readonly signedIn: AdminSession | null;
}

/** "Set up two-factor authentication (2FA)": what the authenticator app needs. */
export interface TwoFactorSetup {
  readonly email: string;
  /** `otpauth://totp/Mail%20Settings:<email>?secret=…&issuer=Mail%20Settings&algorithm=SHA1&digits=6&period=30`, drawn as a QR code. */
  readonly otpauthUri: string;
  /** The base32 secret in groups of four for typing ("ABCD EFGH …"). */
  readonly setupKey: string;
}

/** 2FA is on: the recovery codes, shown this once (only their hashes are kept). */
export interface TwoFactorEnabled {
  readonly recoveryCodes: readonly string[];
  readonly status: AdminStatus;
}

/** After the password step of the sign-in: the security number next, or 2FA still to set up. */
export type AdminPasswordStep =
  | { readonly next: 'code'; readonly email: string }
  | { readonly next: 'setUpTwoFactor'; readonly setup: TwoFactorSetup };

/**
 * A mailbox whose mail stopped or will soon (seed 003): an administrator gets "Re-authenticate Now",
 * everyone else a banner naming the mailbox.
 */
export interface ReauthNotice {
  /** The app's mailbox, or an Email Integration mailbox's sign-in (`integration:<id>`). */
  readonly mailbox: AccountId;
  /** The mailbox's address (its username), or its section's name when none is known. */
  readonly address: string;
  /** `stopped`: the grant is dead now; `soon`: it will die at `dueAt` unless someone signs in again. */
  readonly state: 'stopped' | 'soon';
  readonly dueAt: string | null;
  /** Why, in a sentence ("The sign-in of sales@… was not used for 80 days; Microsoft ends it after 90."). */
  readonly reason: string;
}
