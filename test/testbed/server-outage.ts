import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Outages of a server we started (a Dovecot master and every process it forked), by pid, as they happen
 * to a real one:
 * - a service manager's stop (systemd with KillMode=control-group, its default: SIGTERM and SIGCONT to
 *   every process of the unit at once, SIGKILL to whatever is left after the stop timeout);
 * - a crash or a power cut of the server machine (SIGKILL to every process: no BYE, sockets reset);
 * - a server that stops answering but keeps its connections open (every process SIGSTOPped: a hung
 *   machine, a half-dead network path), and that comes back (SIGCONT).
 * A Dovecot master's SIGTERM alone is no restart: its children (login, imap, auth …) outlive it by
 * about ten seconds and keep serving their clients, whose sessions go on as if nothing happened. So the
 * master is stopped first (SIGSTOP: it forks nothing more), the tree is read from /proc, and only then
 * is the signal sent to every process in it.
 */

export interface ServerProcess {
  readonly pid: number;
  readonly name: string;
  /** /proc state letter: R running, S sleeping, T stopped, Z exited (a zombie holds no socket) … */
  readonly state: string;
  readonly ppid: number;
}

/** One process as /proc/<pid>/stat describes it; null once it is gone. */
async function processOf(pid: number): Promise<ServerProcess | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read around the last ')'.
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const [state = '?', ppid = '0'] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, name, state, ppid: Number(ppid) };
}

/** `root` and every process below it, parents first (from /proc, at this moment). */
export async function processTree(root: number): Promise<ServerProcess[]> {
  const all: ServerProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const found = await processOf(Number(entry));
    if (found) all.push(found);
  }
  const tree = all.filter((p) => p.pid === root);
  for (let i = 0; i < tree.length; i += 1) {
    const parent = tree[i];
    if (parent) tree.push(...all.filter((p) => p.ppid === parent.pid));
  }
  return tree;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** The processes of `pids` that still run (a zombie has exited: it holds no socket and no file). */
async function stillRunning(pids: readonly number[]): Promise<ServerProcess[]> {
  const found = await Promise.all(pids.map(processOf));
  return found.filter((p): p is ServerProcess => p !== null && p.state !== 'Z' && p.state !== 'X');
}

async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<ServerProcess[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await stillRunning(pids);
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(25);
  }
}

const describe = (processes: readonly ServerProcess[]): string => processes.map((p) => `${p.pid} ${p.name} (${p.state})`).join(', ');

/** Stops the master (it forks nothing more), then reads its whole tree. */
async function holdTree(master: number): Promise<ServerProcess[]> {
  signal(master, 'SIGSTOP');
  // Children that were being forked when the master stopped show up on a second look.
  let tree = await processTree(master);
  for (;;) {
    const again = await processTree(master);
    if (again.length === tree.length) return tree;
    tree = again;
  }
}

/**
 * A service manager's stop: SIGTERM (then SIGCONT, so a stopped process gets it) to every process at
 * once; SIGKILL to what is still running after `stopTimeoutMs`. Resolves once every process has exited;
 * rejects, naming them, if any is still there `killTimeoutMs` after SIGKILL.
 */
export async function stopLikeServiceManager(master: number, { stopTimeoutMs = 10_000, killTimeoutMs = 5_000 } = {}): Promise<void> {
  const tree = await holdTree(master);
  if (tree.length === 0) return;
  for (const p of tree) signal(p.pid, 'SIGTERM');
  for (const p of tree) signal(p.pid, 'SIGCONT');
  const pids = tree.map((p) => p.pid);
  const stubborn = await waitUntilGone(pids, stopTimeoutMs);
  for (const p of stubborn) signal(p.pid, 'SIGKILL');
  const left = await waitUntilGone(pids, killTimeoutMs);
  if (left.length > 0) throw new Error(`Server processes still running after SIGKILL: ${describe(left)}`);
}

/**
 * A crash: every process dies at the same instant, none runs another instruction. Signals to several
 * processes are not simultaneous: killed one after the other, Dovecot's imap process sees its login
 * process (its TLS proxy) go, starts closing the mailbox, takes Maildir's `dovecot-uidlist.lock` and is
 * killed holding it; its pid then stays a zombie until init reaps it, and the restarted server's next
 * SELECT waits on that lock for seconds to minutes (Dovecot's stale-lock timeout). So every process is
 * stopped first (SIGSTOP), then killed. Resolves once every one has exited.
 */
export async function crash(master: number, { killTimeoutMs = 5_000 } = {}): Promise<void> {
  const tree = await holdTree(master);
  for (const p of tree) signal(p.pid, 'SIGSTOP');
  for (const p of tree) signal(p.pid, 'SIGKILL');
  const left = await waitUntilGone(tree.map((p) => p.pid), killTimeoutMs);
  if (left.length > 0) throw new Error(`Server processes still running after SIGKILL: ${describe(left)}`);
}

/** A server that stops answering and keeps every connection open; `thaw` brings it back as it was. */
export async function freeze(master: number): Promise<{ readonly processes: readonly ServerProcess[]; thaw(): void }> {
  const tree = await holdTree(master);
  for (const p of tree) signal(p.pid, 'SIGSTOP');
  return {
    processes: tree,
    thaw() {
      for (const p of tree) signal(p.pid, 'SIGCONT');
    },
  };
}

/** Loopback TCP ports on which some process listens right now (/proc/net/tcp and tcp6, state 0A). */
export async function listeningPorts(): Promise<Set<number>> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      // "sl local_address rem_address st …", local_address as HEXIP:HEXPORT.
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local) ports.add(Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return ports;
}

/** Resolves once no process listens on any of `ports` any more; rejects after `timeoutMs`, naming them. */
export async function waitUntilPortsFree(ports: readonly number[], timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listening = await listeningPorts();
    const taken = ports.filter((port) => listening.has(port));
    if (taken.length === 0) return;
    if (Date.now() > deadline) throw new Error(`Ports still listened on ${timeoutMs} ms after the server stopped: ${taken.join(', ')}`);
    await sleep(25);
  }
}

/** Whether `pid` is a process that has not exited. */
export async function isRunning(pid: number): Promise<boolean> {
  return (await stillRunning([pid])).length > 0;
}
