import type { GrantLogEntry, IdpClientInfo, IdpEndpoints, IssuedToken, TtlKind } from './idp';
import type { TestUser } from './users';

export type { GrantLogEntry, IdpClientInfo, IdpEndpoints, IssuedToken, TtlKind, TestUser };

/**
 * What the global setup hands to tests through vitest's provide/inject (`inject('testbed')`, or
 * `testbed()` from client.ts). Plain data only: it is structured-cloned into every worker.
 */
export interface TestbedInfo {
  /** Fresh temp dir holding everything of this run (removed at teardown unless TESTBED_KEEP is set). */
  readonly dir: string;
  readonly keyring: {
    /** DBUS_SESSION_BUS_ADDRESS of the private bus with an unlocked gnome-keyring (also set in process.env). */
    readonly busAddress: string;
    /** A second private bus on which no Secret Service runs: the "keychain unavailable" path. */
    readonly bareBusAddress: string;
    /** An empty dir to use as XDG_RUNTIME_DIR for a process that must find no bus at all. */
    readonly emptyRuntimeDir: string;
    readonly password: string;
  };
  readonly ca: {
    readonly caCertPath: string;
    readonly caPem: string;
    /** What NODE_EXTRA_CA_CERTS points to in workers: the test CA plus any extra CAs set before the run. */
    readonly bundlePath: string;
    /** The servers' certificate (SAN IP:127.0.0.1, DNS:localhost) and key. */
    readonly certPath: string;
    readonly keyPath: string;
    /** For Chromium: `--ignore-certificate-errors-spki-list=${spkiSha256}` trusts exactly the test servers. */
    readonly spkiSha256: string;
  };
  /** Users present from the start (every server knows them); add more with addUser() from client.ts. */
  readonly users: readonly TestUser[];
  readonly idp: {
    readonly endpoints: IdpEndpoints;
    /** host:port, for MSAL's knownAuthorities. */
    readonly host: string;
    readonly clients: { readonly office365: IdpClientInfo; readonly google: IdpClientInfo & { readonly clientSecret: string }; readonly admin: IdpClientInfo & { readonly clientSecret: string } };
    readonly mailScopes: { readonly office365Imap: string; readonly office365Smtp: string; readonly google: string };
  };
  /** Base URL of the test-control API (see control.ts; use idpControl / addUser from client.ts). */
  readonly controlUrl: string;
  /** The introspection bridge Dovecot and smtp-server ask (POST token=...). */
  readonly bridgeUrl: string;
  /** Host for every mail server (the test certificate is valid for 127.0.0.1 and localhost). */
  readonly host: '127.0.0.1';
  /** Dovecot offering PLAIN LOGIN XOAUTH2 OAUTHBEARER (imapflow picks OAUTHBEARER here). */
  readonly dovecot: DovecotInfo;
  /** Dovecot offering PLAIN LOGIN XOAUTH2 only, as Office 365 does (forces XOAUTH2). */
  readonly dovecotXoauth2Only: DovecotInfo;
  /** Dovecot whose CAPABILITY leaves out UIDPLUS (and CONDSTORE, MOVE …): only a plain EXPUNGE exists there. */
  readonly dovecotNoUidplus: DovecotInfo;
  /**
   * Dovecot offering PLAIN LOGIN XOAUTH2 (as Office 365) whose tokens open a shared mailbox for its
   * members: a token is accepted for its owner's address or one the owner has Full Access to
   * (grantFullAccess in full-access.ts writes the list under fullAccessDir).
   */
  readonly dovecotSharedMailbox: DovecotInfo & { readonly fullAccessDir: string };
  /** nodemailer's smtp-server: PLAIN/LOGIN/XOAUTH2; every accepted message saved in emlDir. */
  readonly smtp: {
    readonly ports: { readonly starttls: number; readonly tls: number; readonly plain: number };
    /** <id>.eml (raw) + <id>.json (SavedEnvelope) per accepted message. */
    readonly emlDir: string;
  };
  /** Where Dovecot's submission service relays to; each relayed message also lands here as .eml/.json. */
  readonly relaySink: { readonly port: number; readonly emlDir: string };
  /** Dovecot's mail_location root: <mailRoot>/<domain>/<local>/Maildir. */
  readonly mailRoot: string;
  /** Debian's PostgreSQL on 127.0.0.1 (postgres.ts); a test gets a database of its own from test/support/postgres-database.ts. */
  readonly postgres: PostgresInfo;
}

export interface PostgresInfo {
  /** A superuser's URL to the maintenance database: postgres://<user>:<password>@127.0.0.1:<port>/postgres. */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The server's log (kept with TESTBED_KEEP=1). */
  readonly logPath: string;
}

export interface DovecotInfo {
  readonly ports: { readonly imap: number; readonly imaps: number; readonly submission: number; readonly submissions: number };
  readonly mechanisms: readonly string[];
  readonly logPath: string;
  /** Its config file: `doveadm -c <configPath> …` talks to this instance (see kickImapUser in client.ts). */
  readonly configPath: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    testbed: TestbedInfo;
  }
}
