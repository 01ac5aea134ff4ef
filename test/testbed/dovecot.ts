import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { join } from 'node:path';
import { freePort, requireBinaries, startProcess, waitFor, type TrackedProcess } from './proc';
import type { TestCa } from './ca';
import type { MailOwner } from './users';

/**
 * Dovecot 2.3 in the foreground with its own config: IMAP (STARTTLS port + implicit-TLS port) and the
 * submission service (STARTTLS + implicit TLS) relaying to our SMTP sink. Passwords come from the shared
 * passwd-file (re-read live), bearer tokens from the oauth2 passdb through the introspection bridge.
 */

export const dovecotBinaries = [
  { path: '/usr/sbin/dovecot', debianPackage: 'dovecot-core' },
  { path: '/usr/lib/dovecot/imap', debianPackage: 'dovecot-imapd' },
  { path: '/usr/lib/dovecot/submission', debianPackage: 'dovecot-submissiond' },
] as const;

export interface DovecotPorts {
  /** Plain IMAP with STARTTLS (143 style). */
  readonly imap: number;
  /** IMAP over implicit TLS (993 style). */
  readonly imaps: number;
  /** Submission with STARTTLS (587 style). */
  readonly submission: number;
  /** Submission over implicit TLS (465 style). */
  readonly submissions: number;
}

export interface RunningDovecot {
  readonly name: string;
  readonly ports: DovecotPorts;
  /** SASL mechanisms offered (the xoauth2-only variant lacks OAUTHBEARER, as Office 365 does). */
  readonly mechanisms: readonly string[];
  readonly configPath: string;
  readonly logPath: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /** Short name, used for the instance and its directory. */
  readonly name: string;
  readonly dir: string;
  readonly ca: TestCa;
  /** Per-user passwd-files: <passwdDir>/<domain>/<local> (see UserDirectory). */
  readonly passwdDir: string;
  readonly mailRoot: string;
  readonly owner: MailOwner;
  readonly bridgeUrl: string;
  readonly relayPort: number;
  readonly mechanisms: readonly string[];
  /**
   * Replaces the CAPABILITY list (Dovecot's `imap_capability`), e.g. to leave out UIDPLUS as some
   * servers do. Dovecot still adds STARTTLS and AUTH= before login.
   */
  readonly imapCapability?: readonly string[];
  /**
   * Listen on these ports instead of fresh ones: to start an instance again after stopping it (a
   * server restart), on the same ports and `dir`, so clients reconnect where they were.
   */
  readonly ports?: DovecotPorts;
  /**
   * Bearer tokens (XOAUTH2, OAUTHBEARER) go to this checkpassword program instead of the oauth2 passdb,
   * which refuses a token whose owner is not the login name: the program sees both, so it can let a
   * member's token open a shared mailbox (see shared-mailbox.ts).
   */
  readonly tokenCheckpassword?: string;
}

/** Dovecot rejects text after `{` on the same line, so every block is spread over lines. */
function config(options: DovecotOptions, ports: DovecotPorts, runtime: { user: string; group: string; root: boolean }): string {
  const chroot = runtime.root ? [] : ['  chroot ='];
  const unprivileged = runtime.root
    ? []
    : [
        // Without root every "internal" user is ourselves; Dovecot supports this for testing.
        `default_internal_user = ${runtime.user}`,
        `default_login_user = ${runtime.user}`,
        `default_internal_group = ${runtime.group}`,
      ];
  const passdbs = [
    'passdb {',
    '  driver = passwd-file',
    '  mechanisms = plain login',
    `  args = scheme=PLAIN username_format=%Lu ${options.passwdDir}/%Ld/%Ln`,
    '}',
  ];
  const oauthMechanisms = options.mechanisms.filter((m) => m === 'xoauth2' || m === 'oauthbearer');
  if (oauthMechanisms.length > 0 && options.tokenCheckpassword !== undefined) {
    passdbs.push('passdb {', '  driver = checkpassword', `  mechanisms = ${oauthMechanisms.join(' ')}`, `  args = ${options.tokenCheckpassword}`, '}');
    // The program is Node, which reserves more address space at start than an auth process may have
    // (default_vsz_limit, 256 MB): without a limit here it dies before reading a byte.
    passdbs.push('service auth {', '  vsz_limit = 0', '}');
  } else if (oauthMechanisms.length > 0) {
    passdbs.push('passdb {', '  driver = oauth2', `  mechanisms = ${oauthMechanisms.join(' ')}`, `  args = ${join(options.dir, 'oauth2.conf.ext')}`, '}');
  }
  return [
    `instance_name = testbed-${options.name}-${randomBytes(4).toString('hex')}`,
    `base_dir = ${join(options.dir, 'run')}`,
    `state_dir = ${join(options.dir, 'state')}`,
    'protocols = imap submission',
    'listen = 127.0.0.1',
    `log_path = ${join(options.dir, 'dovecot.log')}`,
    'auth_verbose = yes',
    'ssl = yes',
    `ssl_cert = <${options.ca.certPath}`,
    `ssl_key = <${options.ca.keyPath}`,
    'disable_plaintext_auth = no',
    `auth_mechanisms = ${options.mechanisms.join(' ')}`,
    // No artificial delays or caches: tests log in with bad credentials and revoke tokens on purpose.
    'auth_failure_delay = 0',
    'auth_cache_size = 0',
    'mail_fsync = never',
    // New mail reaches an IDLE client within a second (default 30 s; inotify may tell it sooner anyway).
    'mailbox_idle_check_interval = 1 secs',
    ...(options.imapCapability ? [`imap_capability = ${options.imapCapability.join(' ')}`] : []),
    `mail_location = maildir:${options.mailRoot}/%d/%n/Maildir`,
    'first_valid_uid = 1',
    'hostname = mail.testbed.localhost',
    'submission_relay_host = 127.0.0.1',
    `submission_relay_port = ${options.relayPort}`,
    'submission_relay_trusted = yes',
    ...unprivileged,
    ...passdbs,
    'userdb {',
    '  driver = static',
    `  args = uid=${options.owner.uid} gid=${options.owner.gid} home=${options.mailRoot}/%d/%n`,
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${ports.imap}`,
    '  }',
    '  inet_listener imaps {',
    '    address = 127.0.0.1',
    `    port = ${ports.imaps}`,
    '    ssl = yes',
    '  }',
    ...chroot,
    '}',
    'service submission-login {',
    '  inet_listener submission {',
    '    address = 127.0.0.1',
    `    port = ${ports.submission}`,
    '  }',
    '  inet_listener submissions {',
    '    address = 127.0.0.1',
    `    port = ${ports.submissions}`,
    '    ssl = yes',
    '  }',
    ...chroot,
    '}',
    // Else every failed login makes the next one from 127.0.0.1 wait 2, 4, 8, 15 s.
    'service anvil {',
    '  unix_listener anvil-auth-penalty {',
    '    mode = 0',
    '  }',
    ...chroot,
    '}',
    '',
  ].join('\n');
}

function oauth2Config(bridgeUrl: string): string {
  // Dovecot does not check `exp`: the bridge answers active:false for expired or revoked tokens.
  return [
    'introspection_mode = post',
    `introspection_url = ${bridgeUrl}`,
    'force_introspection = yes',
    'username_attribute = username',
    'active_attribute = active',
    'active_value = true',
    '',
  ].join('\n');
}

/** Resolves once the IMAP port greets with `* OK` (Dovecot is then ready for logins). */
function imapGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('* OK')));
  });
}

/** Resolves whether the implicit-TLS IMAP port completes a TLS handshake (trusting `caPem`) and greets with `* OK`. */
function imapsGreets(port: number, caPem: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTls({ host: '127.0.0.1', port, ca: [caPem] });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('* OK')));
  });
}

/**
 * Resolves once an instance serves IMAP again on both its ports: the STARTTLS port greets, and the
 * implicit-TLS port completes a handshake and greets (what a client needs before it can sign in).
 * Rejects after `timeoutMs`, saying which port did not answer.
 */
export async function waitUntilImapReady(ports: Pick<DovecotPorts, 'imap' | 'imaps'>, caPem: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(`an IMAP greeting on 127.0.0.1:${ports.imap}`, () => imapGreets(ports.imap), { timeoutMs, intervalMs: 50 });
  await waitFor(`a TLS handshake and an IMAP greeting on 127.0.0.1:${ports.imaps}`, () => imapsGreets(ports.imaps, caPem), { timeoutMs, intervalMs: 50 });
}

async function runtimeIdentity(): Promise<{ user: string; group: string; root: boolean }> {
  const uid = process.getuid?.() ?? 0;
  if (uid === 0) return { user: 'root', group: 'root', root: true };
  const { userInfo } = await import('node:os');
  const gid = process.getgid?.() ?? uid;
  const groupLine = (await readFile('/etc/group', 'utf8')).split('\n').find((line) => line.split(':')[2] === String(gid));
  return { user: userInfo().username, group: groupLine?.split(':')[0] ?? String(gid), root: false };
}

export async function startDovecot(options: DovecotOptions): Promise<RunningDovecot> {
  await requireBinaries(dovecotBinaries);
  if (process.getuid?.() === 0) {
    // The packages create these; a stripped-down image may lack them and Dovecot then refuses to start.
    const passwd = await readFile('/etc/passwd', 'utf8');
    for (const user of ['dovecot', 'dovenull']) {
      if (!passwd.split('\n').some((line) => line.startsWith(`${user}:`))) {
        throw new Error(`Dovecot needs the system user "${user}" (created by the dovecot-core package): reinstall dovecot-core.`);
      }
    }
  }
  await mkdir(options.dir, { recursive: true });
  const runtime = await runtimeIdentity();
  const configPath = join(options.dir, 'dovecot.conf');
  const logPath = join(options.dir, 'dovecot.log');
  await writeFile(join(options.dir, 'oauth2.conf.ext'), oauth2Config(options.bridgeUrl), { mode: 0o644 });

  // Dovecot binds its own ports, so they are picked beforehand; another process could grab one in
  // between, so a failed start is retried with fresh ports.
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const ports: DovecotPorts = options.ports ?? { imap: await freePort(), imaps: await freePort(), submission: await freePort(), submissions: await freePort() };
    await writeFile(configPath, config(options, ports, runtime), { mode: 0o644 });
    let master: TrackedProcess | undefined;
    try {
      master = await startProcess(`dovecot (${options.name})`, '/usr/sbin/dovecot', ['-F', '-c', configPath], { logPath: join(options.dir, 'dovecot.stderr.log') });
      const started = master;
      await waitFor(
        `Dovecot (${options.name}) on 127.0.0.1:${ports.imap}`,
        async () => {
          if (started.hasExited()) throw new Error(`dovecot exited: ${await readTail(started.logPath)} ${await readTail(logPath)}`);
          return imapGreets(ports.imap);
        },
        { timeoutMs: 15_000, intervalMs: 50 },
      );
      // Every listener must be up (the greeting proves only the first).
      for (const port of [ports.imaps, ports.submission, ports.submissions]) {
        await waitFor(`Dovecot port ${port}`, () => canConnect(port), { timeoutMs: 5_000 });
      }
      return {
        name: options.name,
        ports,
        mechanisms: options.mechanisms,
        configPath,
        logPath,
        pid: started.pid,
        // Dovecot takes a few seconds to stop cleanly; SIGKILL after 8 s so teardown never hangs.
        stop: () => started.stop(8_000),
      };
    } catch (error) {
      lastError = error;
      await master?.stop(2_000);
    }
  }
  throw lastError;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function readTail(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).slice(-2_000);
  } catch {
    return '';
  }
}
