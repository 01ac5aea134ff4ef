import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBinaries, run, startProcess, waitFor, type TrackedProcess } from './proc';

/**
 * A private, unlocked Secret Service for the run: our own D-Bus session bus plus gnome-keyring-daemon
 * with a fresh login keyring in the temp dir. Nothing touches the developer's real keyring or bus.
 */

const dbusDaemon = { path: '/usr/bin/dbus-daemon', debianPackage: 'dbus' };
const dbusSend = { path: '/usr/bin/dbus-send', debianPackage: 'dbus' };
const gnomeKeyringDaemon = { path: '/usr/bin/gnome-keyring-daemon', debianPackage: 'gnome-keyring' };
const secretTool = { path: '/usr/bin/secret-tool', debianPackage: 'libsecret-tools' };

export const keyringBinaries = [dbusDaemon, dbusSend, gnomeKeyringDaemon, secretTool] as const;

export const secretServiceName = 'org.freedesktop.secrets';

/** A D-Bus session bus we started (and the keyring on it, when there is one). */
export interface RunningBus {
  /** Value for DBUS_SESSION_BUS_ADDRESS. */
  readonly address: string;
  readonly pids: readonly number[];
  /** Env vars (to merge over process.env) that make a process use this bus. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface RunningKeyring extends RunningBus {
  /** The login keyring's password (fed to gnome-keyring-daemon on stdin). */
  readonly password: string;
}

/**
 * A bus config with no <servicedir>: the system's service files would otherwise let the bus
 * auto-activate a gnome-keyring-daemon we did not start (no pid to stop, and no "keychain unavailable"
 * path to test).
 */
function busConfig(socketPath: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socketPath}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/** Names currently owned on the bus at `address`. */
export async function busNames(address: string): Promise<string[]> {
  const { stdout } = await run(
    dbusSend.path,
    ['--session', '--dest=org.freedesktop.DBus', '--type=method_call', '--print-reply', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames'],
    { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address }, timeoutMs: 5_000 },
  );
  return [...stdout.matchAll(/string "([^"]+)"/g)].map((m) => m[1] ?? '');
}

/** Starts a private session bus with nothing on it; `dir` must be short enough for a unix socket path. */
export async function startBus(dir: string, name = 'bus'): Promise<RunningBus> {
  await requireBinaries([dbusDaemon, dbusSend]);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const socketPath = join(dir, `${name}.sock`);
  const configPath = join(dir, `${name}.conf`);
  await writeFile(configPath, busConfig(socketPath));
  // --nofork keeps the daemon our direct child, so its pid is known without parsing --print-pid.
  const daemon = await startProcess(`dbus-daemon (${name})`, dbusDaemon.path, ['--config-file', configPath, '--nofork'], {
    logPath: join(dir, `${name}.log`),
  });
  const address = `unix:path=${socketPath}`;
  try {
    await waitFor(`the D-Bus session bus at ${socketPath} (log: ${daemon.logPath})`, async () => {
      if (daemon.hasExited()) throw new Error('dbus-daemon exited');
      return (await busNames(address)).includes('org.freedesktop.DBus');
    });
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return {
    address,
    pids: [daemon.pid],
    env: { DBUS_SESSION_BUS_ADDRESS: address },
    stop: () => daemon.stop(),
  };
}

/** What keyring a fresh gnome-keyring-daemon starts with. */
export interface KeyringOptions {
  /**
   * true (the default): a "login" collection, created and unlocked from the password on stdin (--unlock),
   * which the "default" alias points to. false: no password, so no login collection and no default alias,
   * as for a user whose keyring was never set up (only the in-memory "session" collection exists).
   */
  readonly loginKeyring?: boolean;
}

/**
 * Starts a bus and a gnome-keyring (secrets component only) on it, by default with an unlocked login
 * keyring. The keyring lives in `dir` (XDG_DATA_HOME), created on first start from the password given on stdin.
 */
export async function startKeyring(dir: string, { loginKeyring = true }: KeyringOptions = {}): Promise<RunningKeyring> {
  await requireBinaries([dbusDaemon, dbusSend, gnomeKeyringDaemon, secretTool]);
  const bus = await startBus(dir, 'keyring-bus');
  const password = randomBytes(12).toString('hex');
  const home = join(dir, 'home');
  const runtimeDir = join(dir, 'runtime');
  await mkdir(join(home, 'data'), { recursive: true, mode: 0o700 });
  await mkdir(runtimeDir, { recursive: true, mode: 0o700 });
  let daemon: TrackedProcess | undefined;
  try {
    // --foreground instead of --daemonize: the pid stays ours (the daemonized one re-parents to init).
    daemon = await startProcess(
      'gnome-keyring-daemon',
      gnomeKeyringDaemon.path,
      ['--foreground', ...(loginKeyring ? ['--unlock'] : []), '--components=secrets'],
      {
        env: {
          ...process.env,
          ...bus.env,
          HOME: home,
          XDG_DATA_HOME: join(home, 'data'),
          XDG_RUNTIME_DIR: runtimeDir,
        },
        ...(loginKeyring ? { stdinText: password } : {}),
        logPath: join(dir, 'gnome-keyring.log'),
      },
    );
    const started = daemon;
    await waitFor(`${secretServiceName} on the private bus (log: ${started.logPath})`, async () => {
      if (started.hasExited()) throw new Error('gnome-keyring-daemon exited');
      return (await busNames(bus.address)).includes(secretServiceName);
    });
  } catch (error) {
    await daemon?.stop();
    await bus.stop();
    throw error;
  }
  const keyringDaemon = daemon;
  return {
    ...bus,
    password,
    pids: [...bus.pids, keyringDaemon.pid],
    async stop() {
      await keyringDaemon.stop();
      await bus.stop();
    },
  };
}

/**
 * `secret-tool lookup service <service> account <account>` against the given bus: keytar stores items
 * with exactly these two attributes, so this is what another app (or the user) would see.
 * Resolves null when there is no such item.
 */
export async function secretToolLookup(service: string, account: string, busAddress: string): Promise<string | null> {
  try {
    const { stdout } = await run(secretTool.path, ['lookup', 'service', service, 'account', account], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress },
      timeoutMs: 10_000,
    });
    return stdout;
  } catch (error) {
    // secret-tool exits 1 with no output when nothing matches.
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (cause?.code === 1) return null;
    throw error;
  }
}

/** The object path of the login keyring, where gnome-keyring points the "default" alias. */
export const loginCollectionPath = '/org/freedesktop/secrets/collection/login';

/**
 * Locks collections through the Secret Service's own Lock method (Secret Service API:
 * org.freedesktop.Secret.Service.Lock(ao objects) → (ao locked, o prompt)), as the desktop does when the
 * user locks the keyring. gnome-keyring locks without a prompt.
 */
export async function lockCollections(busAddress: string, collectionPaths: readonly string[]): Promise<void> {
  await run(
    dbusSend.path,
    [
      '--session',
      `--dest=${secretServiceName}`,
      '--type=method_call',
      '--print-reply',
      '/org/freedesktop/secrets',
      'org.freedesktop.Secret.Service.Lock',
      `array:objpath:${collectionPaths.join(',')}`,
    ],
    { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress }, timeoutMs: 5_000 },
  );
}

/** The Locked property of a collection (Secret Service API, org.freedesktop.Secret.Collection). */
export async function collectionLocked(busAddress: string, collectionPath: string): Promise<boolean> {
  const { stdout } = await run(
    dbusSend.path,
    [
      '--session',
      `--dest=${secretServiceName}`,
      '--type=method_call',
      '--print-reply',
      collectionPath,
      'org.freedesktop.DBus.Properties.Get',
      'string:org.freedesktop.Secret.Collection',
      'string:Locked',
    ],
    { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress }, timeoutMs: 5_000 },
  );
  const locked = /boolean (true|false)/.exec(stdout)?.[1];
  if (locked === undefined) throw new Error(`no Locked property in: ${stdout}`);
  return locked === 'true';
}
