import { ErrorCode, type AppError } from '../../shared/errors';

/**
 * Where secrets live: the OS keychain, under one service name. Services receive a SecretStore; they never
 * reach for the keychain themselves, so tests can hand them the real keyring or, for pure logic, memory.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** Resolves true when something was deleted. */
  delete(account: string): Promise<boolean>;
  /** Accounts that have a secret stored (names only, never values). */
  accounts(): Promise<string[]>;
}

/** The keychain service name every secret of the app is stored under. */
export const keychainService = 'Mail Settings';

/** Keychain account names, one per secret the app keeps. */
export const secretAccounts = {
  sendDirectPassword: 'send-direct/password',
  /** MSAL's serialized token cache of a mailbox (Office 365). */
  msalCache: (mailbox: string) => `oauth/${mailbox}/msal-cache`,
  /** The refresh and access tokens of a mailbox (Google, OpenID Connect). */
  oauthTokens: (mailbox: string) => `oauth/${mailbox}/tokens`,
  /** A provider client secret an admin entered (Google desktop clients have one). */
  clientSecret: (mailbox: string) => `oauth/${mailbox}/client-secret`,
} as const;

/** A keychain failure the user can act on. Thrown by SecretStore implementations. */
export class SecretStoreError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'SecretStoreError';
  }
}

const nothingInPlainText = 'Nothing was saved in plain text.';

export const keychainErrors = {
  unavailable: {
    code: ErrorCode.KeychainUnavailable,
    message: 'Mail Settings can’t reach your system keychain, where it keeps passwords and sign-ins.',
    fix: `Sign in to a desktop session that runs a keyring (on Linux: GNOME Keyring or KWallet through the Secret Service; the package libsecret-1-0 must be installed), then try again. ${nothingInPlainText}`,
  },
  locked: {
    code: ErrorCode.KeychainLocked,
    message: 'Your system keychain is locked, so Mail Settings can’t read or store passwords.',
    fix: `Unlock your login keyring (signing out and back in usually does it), then try again. ${nothingInPlainText}`,
  },
} as const satisfies Record<string, AppError>;

/**
 * Maps what the keychain libraries throw to an app error. Messages measured on Linux: no session bus
 * ("Cannot autolaunch D-Bus without X11 $DISPLAY"), no Secret Service on the bus, a keyring that does not
 * exist or is locked ("Object does not exist at path …/collection/login"), libsecret missing.
 */
export function keychainErrorOf(cause: unknown): AppError {
  const text = cause instanceof Error ? cause.message : String(cause);
  if (/does not exist at path|locked|prompt|dismissed|cancel/i.test(text)) return keychainErrors.locked;
  return keychainErrors.unavailable;
}
