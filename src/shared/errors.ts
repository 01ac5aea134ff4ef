/**
 * Every failure the app can report, as a stable code. The renderer, the CLI and the tests match on
 * codes; the message and the fix are written for a CRM user, never for a developer.
 */
export const ErrorCode = {
  InvalidInput: 'INVALID_INPUT',
  UnknownChannel: 'UNKNOWN_CHANNEL',
  ForbiddenSender: 'FORBIDDEN_SENDER',
  KeychainUnavailable: 'KEYCHAIN_UNAVAILABLE',
  KeychainLocked: 'KEYCHAIN_LOCKED',
  SettingsUnreadable: 'SETTINGS_UNREADABLE',
  SignInCancelled: 'SIGN_IN_CANCELLED',
  SignInTimedOut: 'SIGN_IN_TIMED_OUT',
  SignInInProgress: 'SIGN_IN_IN_PROGRESS',
  AccessDenied: 'ACCESS_DENIED',
  ConsentRequired: 'CONSENT_REQUIRED',
  MfaRequired: 'MFA_REQUIRED',
  ConditionalAccessBlocked: 'CONDITIONAL_ACCESS_BLOCKED',
  WrongAppPlatform: 'WRONG_APP_PLATFORM',
  UserNotInTenant: 'USER_NOT_IN_TENANT',
  GrantExpired: 'GRANT_EXPIRED',
  NotSignedIn: 'NOT_SIGNED_IN',
  LoopbackUnavailable: 'LOOPBACK_UNAVAILABLE',
  IdentityProviderTls: 'IDENTITY_PROVIDER_TLS',
  IdentityProviderUnreachable: 'IDENTITY_PROVIDER_UNREACHABLE',
  ProviderNotConfigured: 'PROVIDER_NOT_CONFIGURED',
  SignInFailed: 'SIGN_IN_FAILED',
  SmtpAuthFailed: 'SMTP_AUTH_FAILED',
  SmtpAuthDisabledForTenant: 'SMTP_AUTH_DISABLED_FOR_TENANT',
  SmtpAuthBlocked: 'SMTP_AUTH_BLOCKED',
  SmtpTokenRejected: 'SMTP_TOKEN_REJECTED',
  UnknownHost: 'UNKNOWN_HOST',
  ConnectionRefused: 'CONNECTION_REFUSED',
  ConnectionTimedOut: 'CONNECTION_TIMED_OUT',
  TlsOnPlainPort: 'TLS_ON_PLAIN_PORT',
  PlainOnTlsPort: 'PLAIN_ON_TLS_PORT',
  StartTlsUnavailable: 'STARTTLS_UNAVAILABLE',
  UntrustedCertificate: 'UNTRUSTED_CERTIFICATE',
  CertificateChanged: 'CERTIFICATE_CHANGED',
  RecipientRejected: 'RECIPIENT_REJECTED',
  MailRejected: 'MAIL_REJECTED',
  NotConfigured: 'NOT_CONFIGURED',
  AttachmentUnreadable: 'ATTACHMENT_UNREADABLE',
  /** A file refused before sending: not a regular file, on another computer, not an image, too large. */
  AttachmentRefused: 'ATTACHMENT_REFUSED',
  /** The message's images and attachments together are larger than mail servers accept. */
  MessageTooLarge: 'MESSAGE_TOO_LARGE',
  /** A stored password was asked to go to another server, port, user or method than it was saved for. */
  PasswordNeededForNewServer: 'PASSWORD_NEEDED_FOR_NEW_SERVER',
  /** A password or token would cross the network unencrypted without the user's explicit yes. */
  InsecureAuthRefused: 'INSECURE_AUTH_REFUSED',
  /** An OAuth token was asked to go to a mail server its provider does not run. */
  TokenHostNotAllowed: 'TOKEN_HOST_NOT_ALLOWED',
  Internal: 'INTERNAL',
  /** An identity provider's published metadata was refused: another issuer than configured, or an endpoint without https. */
  IdentityProviderMetadataRefused: 'IDENTITY_PROVIDER_METADATA_REFUSED',
  /** A secret the app stored in the keychain in parts, with a part missing or changed by something else. */
  KeychainDamaged: 'KEYCHAIN_DAMAGED',
  /** Another run (the app, the CLI, a scheduled task) is already emptying this inbox. */
  RetrievalInProgress: 'RETRIEVAL_IN_PROGRESS',
  /** Messages vanished from the mailbox during a run: another program is emptying it too. */
  MailboxSharedWithAnotherProgram: 'MAILBOX_SHARED_WITH_ANOTHER_PROGRAM',
  /** Retrieved messages stay marked deleted on a server without UIDPLUS, because other messages are marked deleted too. */
  ExpungeDeferred: 'EXPUNGE_DEFERRED',
  /** Gmail shows no Trash over IMAP: the retrieved messages were archived (still in All Mail), not deleted. */
  GmailTrashNotShown: 'GMAIL_TRASH_NOT_SHOWN',
  /** The IMAP server refused the user name and password, or the sign-in token. */
  ImapAuthFailed: 'IMAP_AUTH_FAILED',
  /** The server allows signing in only over an encrypted connection, and SSL is off. */
  TlsRequired: 'TLS_REQUIRED',
  /** The connection dropped in the middle of a run (nothing is lost: the next run goes on from there). */
  ConnectionLost: 'CONNECTION_LOST',
  /** The mailbox (INBOX) could not be opened. */
  MailboxUnavailable: 'MAILBOX_UNAVAILABLE',
  /** An inbox's user name is Send Direct's sender or a signed-in mailbox: retrieval would empty a personal mailbox. */
  InboxIsPersonalMailbox: 'INBOX_IS_PERSONAL_MAILBOX',
  /** The Lead Inbox and the Service Desk Inbox read the same mailbox: each would get a share of its mail. */
  InboxesShareMailbox: 'INBOXES_SHARE_MAILBOX',
  /** An activity type that is missing, taken, retired, or in use where the change asked would break it. */
  ActivityTypeRefused: 'ACTIVITY_TYPE_REFUSED',
  /** A retrieval was stopped (the app quitting, a cancel) before it finished: nothing is lost. */
  RetrievalCancelled: 'RETRIEVAL_CANCELLED',
  /** `--keychain-file` without a passphrase: no passphrase file given, none from systemd, or it is missing or empty. */
  KeychainPassphraseMissing: 'KEYCHAIN_PASSPHRASE_MISSING',
  /** The keychain file's passphrase file can be read by other users (or is not a regular file), so it is not used. */
  KeychainPassphraseFileUnsafe: 'KEYCHAIN_PASSPHRASE_FILE_UNSAFE',
  /** The passphrase does not open the keychain file: it was made with another one. */
  KeychainWrongPassphrase: 'KEYCHAIN_WRONG_PASSPHRASE',
  /** The mail server asked us to slow down (Office 365's "Request is throttled"): the run stops and waits. */
  Throttled: 'THROTTLED',
  /** Office 365 signed the account in but will not open this mailbox with it (wrong account, or the app lacks the IMAP permission). */
  MailboxNotConnected: 'MAILBOX_NOT_CONNECTED',
  /** Messages left on the server because they could not be kept (too large, a fetch that keeps failing): listed, retried. */
  MessagesQuarantined: 'MESSAGES_QUARANTINED',
  /** An administrator-only action without an administrator signed in (or, in the app, with none created yet). */
  AdminRequired: 'ADMIN_REQUIRED',
  /** The email and password do not match an administrator (which of the two is wrong is not said). */
  AdminCredentialsWrong: 'ADMIN_CREDENTIALS_WRONG',
  /** The security number (TOTP) or recovery code is not right. */
  AdminCodeWrong: 'ADMIN_CODE_WRONG',
  /** The security number was right but has been used already (RFC 6238 5.2: each code once). */
  AdminCodeReused: 'ADMIN_CODE_REUSED',
  /** Too many wrong attempts: this administrator is locked out for a while. */
  AdminLockedOut: 'ADMIN_LOCKED_OUT',
  /** The password does not meet the strength rules. */
  AdminPasswordWeak: 'ADMIN_PASSWORD_WEAK',
  /** The settings say administrators exist but their store is gone: admin actions are refused, not let through. */
  AdminStoreMissing: 'ADMIN_STORE_MISSING',
  /** The first administrator exists already (another is created by an administrator), or 2FA is on already. */
  AdminExists: 'ADMIN_EXISTS',
  /** The administrator has not finished setting up two-factor authentication. */
  AdminTwoFactorNotSetUp: 'ADMIN_TWO_FACTOR_NOT_SET_UP',
  /** No integration mailbox or alias with this id (deleted meanwhile, or never there). */
  IntegrationNotFound: 'INTEGRATION_NOT_FOUND',
  /** A credential that aliases other than its own still route mail through: delete them first (they are named). */
  IntegrationInUse: 'INTEGRATION_IN_USE',
  /** The shared records database's address is not a postgres:// or postgresql:// URL. */
  DatabaseUrlInvalid: 'DATABASE_URL_INVALID',
  /** The database server's host or port cannot be reached (not running, a wrong address, a firewall). */
  DatabaseUnreachable: 'DATABASE_UNREACHABLE',
  /** The database server refused the user name or password in the database address. */
  DatabaseAuthFailed: 'DATABASE_AUTH_FAILED',
  /** The database named in the address does not exist on the server. */
  DatabaseNotFound: 'DATABASE_NOT_FOUND',
  /** The database user may not create or change the records tables. */
  DatabasePermissionDenied: 'DATABASE_PERMISSION_DENIED',
  /** The database went away (shut down, restarted, the connection dropped): nothing uncommitted was deleted. */
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  /** Team mode: a save was refused because another installation had changed the same shared settings meanwhile. */
  SharedSettingsChanged: 'SHARED_SETTINGS_CHANGED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A failure as the user sees it: what went wrong, and what to do about it. */
export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly fix?: string;
  /** For INVALID_INPUT: one plain sentence per field that is wrong, keyed by field name. */
  readonly fieldErrors?: Readonly<Record<string, string>>;
  /** For UNTRUSTED_CERTIFICATE: the certificate the server showed, so the user can decide to trust it. */
  readonly certificate?: CertificateSummary;
  /** For THROTTLED: how long the server asked us to wait (milliseconds) before the next attempt. */
  readonly retryAfterMs?: number;
  /** For RETRIEVAL_IN_PROGRESS on shared records: the installation emptying the mailbox (its machine, process, since when). */
  readonly heldBy?: { readonly host: string; readonly pid: number; readonly since: string };
}

/** What a user is shown of a server certificate to decide whether to trust it. */
export interface CertificateSummary {
  readonly host: string;
  readonly port: number;
  readonly fingerprint256: string;
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: AppError): Result<T> {
  return { ok: false, error };
}
