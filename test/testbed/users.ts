import { randomBytes } from 'node:crypto';
import { appendFile, chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';

/**
 * The one list of mail users shared by every server of the test bed: Dovecot (passwd-file, re-read on
 * every login, so users added at runtime work at once), smtp-server and the IdP (password + TOTP).
 */
export interface TestUser {
  /** Also the login name everywhere (IMAP, SMTP, IdP) and the IdP's `sub`. */
  readonly email: string;
  readonly password: string;
  /** Base32 TOTP secret (SHA1, 6 digits, 30 s), as an authenticator app would get it. */
  readonly totpSecret: string;
  readonly name: string;
}

/** Who owns the mail files: Dovecot as root serves mail as `nobody`; as non-root, as ourselves. */
export interface MailOwner {
  readonly uid: number;
  readonly gid: number;
}

export function totpFor(secretBase32: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** The current TOTP code for a secret (what the user would type from their authenticator app). */
export function totpCodeFor(secretBase32: string, timestamp = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp });
}

export function newTestUser(email: string, password?: string): TestUser {
  return {
    email: email.toLowerCase(),
    // hex: never a ':' that would break a passwd-file line.
    password: password ?? `pw-${randomBytes(9).toString('hex')}`,
    totpSecret: new Secret({ size: 20 }).base32,
    name: email.split('@')[0] ?? email,
  };
}

export class UserDirectory {
  readonly #users = new Map<string, TestUser>();

  /**
   * @param passwdPath users.passwd: every user, one passwd-file line each (for people reading the temp dir).
   * @param passwdDir Dovecot's source: one passwd-file per user, <passwdDir>/<domain>/<local>. Dovecot
   *   re-reads a passwd-file at most once per second, so a user appended to a shared file just after a
   *   login in the same second stays "unknown user" for up to a second; a new per-user file is read
   *   the first time that user logs in.
   */
  constructor(
    readonly passwdPath: string,
    readonly passwdDir: string,
    readonly mailRoot: string,
    readonly owner: MailOwner,
  ) {}

  async init(): Promise<void> {
    await writeFile(this.passwdPath, '', { mode: 0o644 });
    await mkdir(this.passwdDir, { recursive: true, mode: 0o755 });
  }

  /** The passwd-file Dovecot reads for this user (its passdb args use %Ld/%Ln). */
  passwdFileOf(email: string): string {
    const [local, domain] = email.toLowerCase().split('@');
    return join(this.passwdDir, domain ?? '', local ?? '');
  }

  /** Adds a user to every server at once; a second add of the same address returns the existing user. */
  async add(email: string, password?: string): Promise<TestUser> {
    const existing = this.#users.get(email.toLowerCase());
    if (existing) return existing;
    if (!/^[^\s:@]+@[^\s:@]+$/.test(email)) throw new Error(`not a usable test address: ${email}`);
    if (password !== undefined && /[:\n]/.test(password)) throw new Error('passwords in passwd-file cannot contain ":" or newlines');
    const user = newTestUser(email, password);
    const line = `${user.email}:{PLAIN}${user.password}::::::\n`;
    // Maildir first, then the passwd-file (so a login never finds a user without a mailbox), then
    // the in-memory list used by smtp-server and the IdP.
    await this.ensureMaildir(user.email);
    await mkdir(join(this.passwdFileOf(user.email), '..'), { recursive: true, mode: 0o755 });
    await writeFile(this.passwdFileOf(user.email), line, { mode: 0o644 });
    await appendFile(this.passwdPath, line);
    this.#users.set(user.email, user);
    return user;
  }

  get(email: string): TestUser | undefined {
    return this.#users.get(email.toLowerCase());
  }

  list(): TestUser[] {
    return [...this.#users.values()];
  }

  checkPassword(email: string, password: string): TestUser | undefined {
    const user = this.get(email);
    return user && user.password === password ? user : undefined;
  }

  checkTotp(email: string, code: string): boolean {
    const user = this.get(email);
    // window 1: a code typed just as it rolled over is still accepted, as real IdPs do.
    return user !== undefined && /^\d{6}$/.test(code) && totpFor(user.totpSecret).validate({ token: code, window: 1 }) !== null;
  }

  /** `<mailRoot>/<domain>/<local>/Maildir` (Dovecot's mail_location is maildir:<mailRoot>/%d/%n/Maildir). */
  maildirOf(email: string): string {
    const [local, domain] = email.toLowerCase().split('@');
    return join(this.mailRoot, domain ?? '', local ?? '', 'Maildir');
  }

  /**
   * Creates home + Maildir owned by the mail owner, so Dovecot (running as that user) can add its
   * index files; a root-owned dir would make it answer `NO [SERVERBUG]`.
   */
  async ensureMaildir(email: string): Promise<string> {
    const maildir = this.maildirOf(email);
    const home = join(maildir, '..');
    const domainDir = join(home, '..');
    for (const dir of [this.mailRoot, domainDir, home, maildir, join(maildir, 'cur'), join(maildir, 'new'), join(maildir, 'tmp')]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chown(dir, this.owner.uid, this.owner.gid);
    }
    return maildir;
  }
}
