import { randomBytes } from 'node:crypto';
import { access, chown, constants, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { copyTemplate, saveTemplate, templateKey } from './postgres-template';
import { freePort, run, startProcess, waitFor, type NeededBinary, type TrackedProcess } from './proc';

/**
 * Debian's PostgreSQL, a cluster of our own: a data dir made by `initdb` in the test bed's temp dir (a
 * copy of initdb's kept result after the first run, see postgres-template.ts), then `postgres` in the
 * foreground (its pid is ours to stop) on a free 127.0.0.1 port, unix sockets in the temp dir too.
 * Nothing touches a cluster the machine may already run (Debian's `main` on 5432).
 */

const libDir = '/usr/lib/postgresql';
/** `postgresql` depends on the current major's server package (postgresql-15 on Debian 12). */
const debianPackage = 'postgresql';
const setpriv = { path: '/usr/bin/setpriv', debianPackage: 'util-linux' };
const superuser = 'testbed';

/**
 * The server binaries of the highest major installed, in /usr/lib/postgresql/<major>/bin (Debian installs
 * majors side by side and puts none of them on PATH). When none is installed, paths naming the package,
 * so requireBinaries reports it.
 */
export async function postgresBinaries(): Promise<readonly NeededBinary[]> {
  const majors = (await readdir(libDir).catch(() => [] as string[]))
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(libDir, major, 'bin');
    const found = await Promise.all(['initdb', 'postgres'].map((name) => access(join(bin, name), constants.X_OK).then(() => true, () => false)));
    if (found.every(Boolean)) return [{ path: join(bin, 'initdb'), debianPackage }, { path: join(bin, 'postgres'), debianPackage }];
  }
  const bin = join(libDir, '<major>', 'bin');
  return [{ path: join(bin, 'initdb'), debianPackage }, { path: join(bin, 'postgres'), debianPackage }];
}

/** Binaries the cluster needs besides PostgreSQL's own: as root, the tool that drops to `nobody`. */
export function postgresHelperBinaries(): readonly NeededBinary[] {
  return process.getuid?.() === 0 ? [setpriv] : [];
}

/** An unprivileged account to run as: PostgreSQL refuses to run as root. */
interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** A data directory made by initdb, with what it takes to start a server on it (again). */
export interface PostgresCluster {
  readonly dir: string;
  readonly dataDir: string;
  /** Unix sockets (`-k`): `.s.PGSQL.<port>` lives here. */
  readonly socketDir: string;
  /** The server's stdout and stderr, appended across restarts. */
  readonly logPath: string;
  readonly user: string;
  readonly password: string;
  readonly binDir: string;
  readonly runAs?: RunAs;
}

export interface RunningPostgres {
  readonly cluster: PostgresCluster;
  readonly port: number;
  /** A superuser's URL to the maintenance database `postgres`. */
  readonly url: string;
  readonly pid: number;
  /** The server as a tracked child (its `exited` resolves when it is gone). */
  readonly process: TrackedProcess;
}

/** postgres://<user>:<password>@127.0.0.1:<port>/<database> */
export function postgresUrl(cluster: PostgresCluster, port: number, database = 'postgres'): string {
  return `postgres://${encodeURIComponent(cluster.user)}:${encodeURIComponent(cluster.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function unprivilegedAccount(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'nobody']), run('id', ['-g', 'nobody'])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** `file args` as is, or through setpriv as the unprivileged account (setpriv execs: the pid stays the server's). */
function command(runAs: RunAs | undefined, file: string, args: readonly string[]): { file: string; args: readonly string[] } {
  if (runAs === undefined) return { file, args };
  return { file: setpriv.path, args: [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', file, ...args] };
}

async function ownedDir(path: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  if (runAs) await chown(path, runAs.uid, runAs.gid);
}

/** What shapes the cluster (the data dir, the superuser's password file and the binary path aside). */
const initdbOptions = ['-U', superuser, '-A', 'scram-sha-256', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions'] as const;

/**
 * A cluster in `dir`: data dir `data` as initdb makes it, a superuser `testbed` with a generated password,
 * scram-sha-256 for every connection (`-A`), UTF-8 with the C.UTF-8 locale (present on every Debian since
 * 12). `--no-sync` only skips initdb's own flush of the new files; the server itself runs with fsync on.
 * initdb runs once per machine and PostgreSQL build: later clusters are copies of its result (see
 * postgres-template.ts), password included.
 */
export async function createPostgresCluster(dir: string): Promise<PostgresCluster> {
  const [initdb, postgres] = await postgresBinaries();
  if (initdb === undefined || postgres === undefined) throw new Error('no PostgreSQL binaries');
  const runAs = await unprivilegedAccount();
  await mkdir(dir, { recursive: true, mode: 0o711 });
  const layout = {
    dir,
    dataDir: join(dir, 'data'),
    socketDir: join(dir, 'run'),
    logPath: join(dir, 'postgres.log'),
    user: superuser,
    binDir: join(postgres.path, '..'),
    ...(runAs ? { runAs } : {}),
  };
  await ownedDir(layout.socketDir, runAs);
  const key = await templateKey(postgres.path, initdbOptions, runAs?.uid ?? process.getuid?.() ?? 0);
  const keptPassword = await copyTemplate(key, layout.dataDir);
  if (keptPassword !== undefined) return { ...layout, password: keptPassword };

  const password = randomBytes(18).toString('hex');
  await ownedDir(layout.dataDir, runAs);
  const pwfile = join(dir, 'superuser-password');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) await chown(pwfile, runAs.uid, runAs.gid);
    const { file, args } = command(runAs, initdb.path, ['-D', layout.dataDir, `--pwfile=${pwfile}`, ...initdbOptions]);
    await run(file, args, { cwd: dir, timeoutMs: 60_000 });
  } finally {
    await rm(pwfile, { force: true });
  }
  await saveTemplate(key, layout.dataDir, password);
  return { ...layout, password };
}

async function readTail(path: string): Promise<string> {
  return (await readFile(path, 'utf8').catch(() => '')).slice(-2_000);
}

/** Whether the server accepts the superuser over TCP and answers a query. */
async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  // An 'error' event without a listener would throw out of the event loop.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    return result.rows[0]?.one === 1;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts `postgres` on the cluster, listening on 127.0.0.1 only, and resolves once it answers a query.
 * `port` starts it again where it was (after stopPostgres or a crash); without it a free port is picked,
 * and a start that loses its port to another process is retried on a fresh one.
 */
export async function startPostgres(cluster: PostgresCluster, { port: fixedPort, timeoutMs = 15_000 }: { port?: number; timeoutMs?: number } = {}): Promise<RunningPostgres> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= (fixedPort === undefined ? 3 : 1); attempt += 1) {
    const port = fixedPort ?? (await freePort());
    const serverArgs = [
      '-D', cluster.dataDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `unix_socket_directories=${cluster.socketDir}`,
      // What the product relies on: a commit is on disk when COMMIT returns (both are PostgreSQL's defaults; said here so no one turns them off for speed).
      '-c', 'fsync=on',
      '-c', 'synchronous_commit=on',
    ];
    const { file, args } = command(cluster.runAs, join(cluster.binDir, 'postgres'), serverArgs);
    const server = await startProcess(`postgres (${cluster.dir})`, file, args, { logPath: cluster.logPath, cwd: cluster.dir });
    const url = postgresUrl(cluster, port);
    try {
      await waitFor(
        `PostgreSQL on 127.0.0.1:${port} (log: ${cluster.logPath})`,
        async () => {
          if (server.hasExited()) throw new Error(`postgres exited:\n${await readTail(cluster.logPath)}`);
          return answers(url);
        },
        { timeoutMs, intervalMs: 25 },
      );
      return { cluster, port, url, pid: server.pid, process: server };
    } catch (error) {
      lastError = server.hasExited() ? error : new Error(`${error instanceof Error ? error.message : String(error)}\n${await readTail(cluster.logPath)}`, { cause: error });
      await forceStop(server);
    }
  }
  throw lastError;
}

async function forceStop(server: TrackedProcess): Promise<void> {
  if (server.hasExited()) return;
  try {
    process.kill(server.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  await server.exited;
}

/**
 * Fast shutdown (SIGINT: open sessions are ended, the server checkpoints and exits), then waits until
 * the process is gone; SIGKILL after `timeoutMs`. SIGTERM would be a smart shutdown, which waits for
 * every client to disconnect on its own. Start it again with startPostgres(running.cluster, { port: running.port }).
 */
export async function stopPostgres(running: RunningPostgres, { timeoutMs = 10_000 } = {}): Promise<void> {
  const server = running.process;
  if (server.hasExited()) return;
  try {
    process.kill(server.pid, 'SIGINT');
  } catch {
    // Already gone.
  }
  const timer = setTimeout(() => void forceStop(server), timeoutMs);
  await server.exited;
  clearTimeout(timer);
}
