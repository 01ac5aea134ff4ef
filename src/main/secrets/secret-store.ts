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
  /**
   * A mailbox's password. Send Direct keeps the name it always had (`send-direct/password`), so a
   * password saved by an earlier version is still found; every other mailbox is `mailbox/<id>/password`.
   */
  mailboxPassword: (mailbox: string) => (mailbox === 'send' ? 'send-direct/password' : `mailbox/${mailbox}/password`),
  /** An Email Integration credential's password, by the credential's id. */
  integrationPassword: (id: string) => `integration/${id}/password`,
  /** MSAL's serialized token cache of a mailbox (Office 365). */
  msalCache: (mailbox: string) => `oauth/${mailbox}/msal-cache`,
  /** The refresh and access tokens of a mailbox (Google, OpenID Connect). */
  oauthTokens: (mailbox: string) => `oauth/${mailbox}/tokens`,
  /** A provider client secret an admin entered (Google desktop clients have one). */
  clientSecret: (mailbox: string) => `oauth/${mailbox}/client-secret`,
  /** The password of the shared PostgreSQL records database chosen in the app (its address is in the settings). */
  databasePassword: 'database/password',
} as const;

/** A keychain failure the user can act on. Thrown by SecretStore implementations. */
export class SecretStoreError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'SecretStoreError';
  }
}

const nothingInPlainText = 'Nothing was saved in plain text.';

/**
 * The commands a server without a desktop runs instead (measured with gnome-keyring 42 and dbus 1.14):
 * `gnome-keyring-daemon --unlock` reads the login keyring's password from standard input, creates that
 * keyring on first use, and starts the Secret Service on the session bus it finds; dbus-run-session gives
 * the command a session bus for as long as it runs. `--replace` takes over from a daemon that is running
 * locked or without a login keyring (a second `--unlock` alone starts a daemon that can't own the name).
 */
const keyringPasswordFile = 'KEYRING_PASSWORD_FILE';
const startKeyringInSession = `gnome-keyring-daemon --unlock --components=secrets < ${keyringPasswordFile}`;
const replaceKeyringUnlocked = `gnome-keyring-daemon --replace --unlock --components=secrets < ${keyringPasswordFile}`;
const orKeychainFile =
  'Or keep the secrets in a file, encrypted with a passphrase that only you can read: mail-settings --keychain-file FILE --keychain-passphrase-file PASSPHRASE_FILE COMMAND.';

export const keychainErrors = {
  /** No D-Bus session bus to reach a Secret Service on (an ssh or CI shell, or a session that ended). */
  unavailable: {
    code: ErrorCode.KeychainUnavailable,
    message: 'Mail Settings can’t reach your system keychain, where it keeps passwords and sign-ins.',
    fix: `Sign in to a desktop session that runs a keyring (on Linux: GNOME Keyring or KWallet through the Secret Service; the package libsecret-1-0 must be installed), then try again. On a server without a desktop, run the command in a D-Bus session with GNOME Keyring unlocked: dbus-run-session -- sh -c '${startKeyringInSession} && mail-settings COMMAND'. ${orKeychainFile} ${nothingInPlainText}`,
  },
  /** A session bus, but no keyring owns the Secret Service name on it: nothing to unlock, something to start. */
  noKeyringService: {
    code: ErrorCode.KeychainUnavailable,
    message: 'No keyring is running in your session, so Mail Settings has nowhere to keep passwords and sign-ins.',
    fix: `Start a keyring that offers the Secret Service, then try again: GNOME Keyring with its password on standard input (${startKeyringInSession}), or KWallet, or KeePassXC with Secret Service integration on. ${orKeychainFile} ${nothingInPlainText}`,
  },
  /** A keyring runs, but has no default keyring (the "login" collection) to store new items in. */
  noDefaultKeyring: {
    code: ErrorCode.KeychainUnavailable,
    message: 'Your system keychain has no default keyring, so Mail Settings has nowhere to keep passwords and sign-ins.',
    fix: `Create a keyring and make it the default (in GNOME: Passwords and Keys, “Login” keyring; signing in to the desktop with your password also creates it), then try again. Without a desktop, this creates the login keyring with the password on standard input: ${replaceKeyringUnlocked}. ${nothingInPlainText}`,
  },
  locked: {
    code: ErrorCode.KeychainLocked,
    message: 'Your system keychain is locked, so Mail Settings can’t read or store passwords.',
    fix: `Unlock your login keyring (signing out and back in usually does it), then try again. Without a desktop, unlock it with its password on standard input: ${replaceKeyringUnlocked}. ${nothingInPlainText}`,
  },
  /** A secret stored in parts (chunked-secret-store.ts) with a part missing or changed by something else. */
  damaged: {
    code: ErrorCode.KeychainDamaged,
    message: 'A password or sign-in that Mail Settings keeps in your system keychain is incomplete: part of it is missing or was changed.',
    fix: `Enter the password again, or Reset the sign-in and sign in again; that replaces the damaged entry. ${nothingInPlainText}`,
  },
} as const satisfies Record<string, AppError>;

/**
 * What libsecret (through keytar) says in each keychain state, first match wins. Measured with
 * libsecret 0.20 and gnome-keyring 42 (test/integration/keychain-states.test.ts runs each state):
 * - a locked collection: gnome-keyring answers CreateItem with org.freedesktop.Secret.Error.IsLocked,
 *   "Cannot create an item in a locked collection". libsecret first asks to unlock it with a prompt; one that
 *   cannot show (no display: gnome-keyring logs "couldn't create system prompt" and completes it as
 *   dismissed) or that the user dismisses leaves it locked. Reads find nothing instead of failing, so
 *   keytar-secret-store.ts asks the Secret Service itself;
 * - no org.freedesktop.secrets on the bus: org.freedesktop.DBus.Error.ServiceUnknown, "The name
 *   org.freedesktop.secrets was not provided by any .service files" in dbus-daemon's words ("The name is
 *   not activatable" in dbus-broker's);
 * - no default collection: libsecret stores into the "default" alias, falls back to
 *   /org/freedesktop/secrets/collection/login, and GDBus answers "Object does not exist at path “…”";
 * - everything else means no bus at all: "Cannot autolaunch D-Bus without X11 $DISPLAY" (no
 *   DBUS_SESSION_BUS_ADDRESS), "Could not connect: No such file or directory" (the bus of a session that
 *   ended), "Failed to execute child process “dbus-launch”", or libsecret-1.so.0 missing.
 */
const keychainStates: readonly { readonly said: RegExp; readonly error: AppError }[] = [
  { said: /Secret\.Error\.IsLocked|in a locked collection/i, error: keychainErrors.locked },
  { said: /ServiceUnknown|was not provided by any \.service files|name is not activatable/i, error: keychainErrors.noKeyringService },
  { said: /does not exist at path .\/org\/freedesktop\/secrets\/(collection|aliases)\/[^/]+.$/i, error: keychainErrors.noDefaultKeyring },
];

/** Maps what the keychain libraries throw to the app error for that keychain state. */
export function keychainErrorOf(cause: unknown): AppError {
  const text = cause instanceof Error ? cause.message : String(cause);
  return keychainStates.find((state) => state.said.test(text))?.error ?? keychainErrors.unavailable;
}
