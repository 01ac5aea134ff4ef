import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startBridge } from './bridge';
import { createTestCa, openssl } from './ca';
import { startControl } from './control';
import { dovecotBinaries, startDovecot } from './dovecot';
import { mailScopes, startIdp } from './idp';
import { prepareSharedMailboxCheck } from './shared-mailbox';
import type { TestbedInfo } from './info';
import { keyringBinaries, startBus, startKeyring } from './keyring';
import { createPostgresCluster, postgresBinaries, postgresHelperBinaries, startPostgres, stopPostgres, type RunningPostgres } from './postgres';
import { requireBinaries, run, startWatchdog } from './proc';
import { startRelaySink, startSmtpServer } from './smtp-server';
import { UserDirectory, type MailOwner } from './users';

/**
 * Starts the real-server test bed once per `vitest run` (root globalSetup: vitest runs it once for all
 * projects) and stops it at the end. Env vars set here on process.env are inherited by the workers,
 * which vitest starts after the global setup has run.
 */

export const initialUsers = ['alice@example.test', 'bob@example.test', 'carol@example.test'] as const;

/** Dovecot 2.3's own post-login CAPABILITY, less UIDPLUS and the extensions that imply or lean on it. */
const noUidplusCapability = ['IMAP4rev1', 'SASL-IR', 'LOGIN-REFERRALS', 'ID', 'ENABLE', 'IDLE', 'LITERAL+', 'NAMESPACE', 'UNSELECT', 'CHILDREN'] as const;

async function mailOwner(): Promise<MailOwner> {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? uid };
  // As root, Dovecot refuses to serve mail as root: it serves it as `nobody`.
  const [{ stdout: u }, { stdout: g }] = await Promise.all([run('id', ['-u', 'nobody']), run('id', ['-g', 'nobody'])]);
  return { uid: Number(u.trim()), gid: Number(g.trim()) };
}

/** As root, Dovecot serves mail as nobody: every parent of the temp dir must let others pass. */
async function assertTraversable(dir: string): Promise<void> {
  for (let current = dirname(dir); current !== dirname(current); current = dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0) {
      throw new Error(`The test bed's temp dir ${dir} is inside ${current}, which other users can't enter; Dovecot's mail processes (user nobody) need to. Point TMPDIR at a directory like /tmp.`);
    }
  }
}

/**
 * Like Promise.all, but waits for every start to settle before failing: a sibling still starting when
 * the first one fails would otherwise register its stop after teardown ran, and outlive it.
 */
async function allStarted<T extends readonly unknown[]>(starts: readonly [...{ [K in keyof T]: Promise<T[K]> }]): Promise<T> {
  const results = await Promise.allSettled(starts);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const timing = process.env['TESTBED_TIMING'] !== undefined;
  // One error naming every missing Debian package, before anything is started.
  await requireBinaries([...keyringBinaries, openssl, ...dovecotBinaries, ...(await postgresBinaries()), ...postgresHelperBinaries()]);
  const dir = await mkdtemp(join(tmpdir(), 'mail-settings-testbed-'));
  // Dovecot's unprivileged processes (nobody, dovecot) must traverse into the temp dir.
  await chmod(dir, 0o711);
  if (process.getuid?.() === 0) await assertTraversable(dir);
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  const savedEnv = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string): void => {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  };

  async function teardown(): Promise<void> {
    const t0 = Date.now();
    // Stopped in parallel (Dovecot alone takes seconds); each stop is independent so one failure
    // doesn't leave the rest running.
    const results = await Promise.allSettled(stops.map(async ({ name, stop }) => {
      try {
        await stop();
      } catch (error) {
        throw new Error(`stopping ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }));
    stops.length = 0;
    for (const [name, value] of savedEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (process.env['TESTBED_KEEP'] === undefined) await rm(dir, { recursive: true, force: true });
    else console.warn(`[testbed] kept ${dir}`);
    if (timing) console.warn(`[testbed] stopped in ${Date.now() - t0} ms`);
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (errors.length > 0) throw new AggregateError(errors, 'test bed teardown failed');
  }

  // Started early and awaited last: initdb and the server start while the rest does. Teardown after a
  // failure first waits for it, so a server still starting never outlives the run.
  let postgresStarting: Promise<RunningPostgres> | undefined;
  try {
    const watchdog = await startWatchdog(dir, join(dir, 'pids'));
    // Only acts if this process dies without teardown; stopped with the rest at teardown.
    stops.push({ name: 'watchdog', stop: () => watchdog.stop() });
    postgresStarting = createPostgresCluster(join(dir, 'postgres'))
      .then((cluster) => startPostgres(cluster))
      .then((p) => (stops.push({ name: 'PostgreSQL', stop: () => stopPostgres(p) }), p));
    // Awaited below; a failure before then must not count as an unhandled rejection meanwhile.
    postgresStarting.catch(() => undefined);
    const emptyRuntimeDir = join(dir, 'empty-runtime');
    await mkdir(emptyRuntimeDir, { mode: 0o700 });
    const [keyring, bareBus, ca, owner] = await allStarted([
      startKeyring(join(dir, 'keyring')).then((k) => (stops.push({ name: 'keyring', stop: () => k.stop() }), k)),
      startBus(join(dir, 'bare-bus'), 'bare-bus').then((b) => (stops.push({ name: 'bare bus', stop: () => b.stop() }), b)),
      createTestCa(join(dir, 'ca')),
      mailOwner(),
    ]);
    setEnv('DBUS_SESSION_BUS_ADDRESS', keyring.address);
    // Read by Node only at process start: workers (forked after this) and their children trust the CA.
    // Extra CAs someone already relies on (a corporate proxy's) are kept in the bundle.
    const bundlePath = join(dir, 'ca', 'node-extra-ca-certs.pem');
    const previousExtra = process.env['NODE_EXTRA_CA_CERTS'];
    const previousPem = previousExtra ? await readFile(previousExtra, 'utf8').catch(() => '') : '';
    await writeFile(bundlePath, `${previousPem.trim()}\n${ca.caPem}`.trimStart());
    setEnv('NODE_EXTRA_CA_CERTS', bundlePath);

    const users = new UserDirectory(join(dir, 'users.passwd'), join(dir, 'passwd.d'), join(dir, 'mail'), owner);
    await users.init();
    for (const email of initialUsers) await users.add(email);

    const idp = await startIdp({ ca, users });
    stops.push({ name: 'IdP', stop: () => idp.stop() });
    const bridge = await startBridge({
      introspectionUrl: idp.endpoints.introspection,
      clientId: idp.clients.admin.clientId,
      clientSecret: idp.clients.admin.clientSecret,
      caPem: ca.caPem,
    });
    stops.push({ name: 'introspection bridge', stop: () => bridge.stop() });
    const control = await startControl({ users, idp });
    stops.push({ name: 'control API', stop: () => control.stop() });
    const relaySink = await startRelaySink({ users, emlDir: join(dir, 'relay-sink') });
    stops.push({ name: 'relay sink', stop: () => relaySink.stop() });
    const smtp = await startSmtpServer({ users, ca, bridgeUrl: bridge.url, emlDir: join(dir, 'smtp-server') });
    stops.push({ name: 'smtp-server', stop: () => smtp.stop() });

    const dovecotOptions = { ca, passwdDir: users.passwdDir, mailRoot: users.mailRoot, owner, bridgeUrl: bridge.url, relayPort: relaySink.port };
    const sharedMailboxCheck = await prepareSharedMailboxCheck(join(dir, 'shared-mailbox'), bridge.url);
    // The instances start (and later stop) in parallel: Dovecot's stop alone takes seconds.
    const [dovecot, dovecotXoauth2Only, dovecotNoUidplus, dovecotSharedMailbox, postgres] = await allStarted([
      startDovecot({ ...dovecotOptions, name: 'main', dir: join(dir, 'dovecot'), mechanisms: ['plain', 'login', 'xoauth2', 'oauthbearer'] }).then((d) => {
        stops.push({ name: 'Dovecot', stop: () => d.stop() });
        return d;
      }),
      startDovecot({ ...dovecotOptions, name: 'xoauth2', dir: join(dir, 'dovecot-xoauth2'), mechanisms: ['plain', 'login', 'xoauth2'] }).then((d) => {
        stops.push({ name: 'Dovecot (XOAUTH2 only)', stop: () => d.stop() });
        return d;
      }),
      // The same users and mail, but no UIDPLUS (RFC 4315): the server of an inbox that must never
      // expunge another client's \Deleted message.
      startDovecot({ ...dovecotOptions, name: 'no-uidplus', dir: join(dir, 'dovecot-no-uidplus'), mechanisms: ['plain', 'login'], imapCapability: noUidplusCapability }).then((d) => {
        stops.push({ name: 'Dovecot (no UIDPLUS)', stop: () => d.stop() });
        return d;
      }),
      // The same users and mail, XOAUTH2 only as Office 365, and a member's token opens a shared mailbox.
      startDovecot({
        ...dovecotOptions,
        name: 'shared-mailbox',
        dir: join(dir, 'dovecot-shared-mailbox'),
        mechanisms: ['plain', 'login', 'xoauth2'],
        tokenCheckpassword: sharedMailboxCheck.checkpasswordPath,
      }).then((d) => {
        stops.push({ name: 'Dovecot (shared mailboxes)', stop: () => d.stop() });
        return d;
      }),
      postgresStarting,
    ]);

    const info: TestbedInfo = {
      dir,
      keyring: { busAddress: keyring.address, bareBusAddress: bareBus.address, emptyRuntimeDir, password: keyring.password },
      ca: { caCertPath: ca.caCertPath, caPem: ca.caPem, bundlePath, certPath: ca.certPath, keyPath: ca.keyPath, spkiSha256: ca.spkiSha256 },
      users: users.list(),
      idp: { endpoints: idp.endpoints, host: `127.0.0.1:${idp.port}`, clients: idp.clients, mailScopes },
      controlUrl: control.url,
      bridgeUrl: bridge.url,
      host: '127.0.0.1',
      dovecot: { ports: dovecot.ports, mechanisms: dovecot.mechanisms, logPath: dovecot.logPath, configPath: dovecot.configPath },
      dovecotXoauth2Only: { ports: dovecotXoauth2Only.ports, mechanisms: dovecotXoauth2Only.mechanisms, logPath: dovecotXoauth2Only.logPath, configPath: dovecotXoauth2Only.configPath },
      dovecotNoUidplus: { ports: dovecotNoUidplus.ports, mechanisms: dovecotNoUidplus.mechanisms, logPath: dovecotNoUidplus.logPath, configPath: dovecotNoUidplus.configPath },
      dovecotSharedMailbox: {
        ports: dovecotSharedMailbox.ports,
        mechanisms: dovecotSharedMailbox.mechanisms,
        logPath: dovecotSharedMailbox.logPath,
        configPath: dovecotSharedMailbox.configPath,
        fullAccessDir: sharedMailboxCheck.fullAccessDir,
      },
      smtp: { ports: smtp.ports, emlDir: smtp.emlDir },
      relaySink: { port: relaySink.port, emlDir: relaySink.emlDir },
      mailRoot: users.mailRoot,
      postgres: { url: postgres.url, port: postgres.port, user: postgres.cluster.user, password: postgres.cluster.password, logPath: postgres.cluster.logPath },
    };
    project.provide('testbed', info);
  } catch (error) {
    await postgresStarting?.catch(() => undefined);
    await teardown().catch(() => undefined);
    throw error;
  }
  if (timing) console.warn(`[testbed] started in ${Date.now() - started} ms`);
  return teardown;
}
