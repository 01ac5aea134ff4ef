import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withPostgresClient } from './postgres-database';

/**
 * The CPU time a local PostgreSQL server has used so far, in seconds: the postmaster's own, its live
 * processes' (backends, WAL writer, checkpointer …), and that of the processes it has reaped (cutime and
 * cstime, proc(5)). The difference over a run is the server's share of the run's work, which the
 * measured client's own CPU time leaves out. Linux only; `serverUrl` is a superuser's (SHOW
 * data_directory), on this machine.
 */
export async function postgresServerCpuSeconds(serverUrl: string): Promise<number> {
  const postmaster = await postmasterPid(serverUrl);
  const ticks = 100; // USER_HZ, the unit of /proc/<pid>/stat's times on Linux.
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const times = await processTimes(entry);
    if (!times) continue;
    if (Number(entry) === postmaster) total += times.own + times.reapedChildren;
    else if (times.ppid === postmaster) total += times.own;
  }
  return total / ticks;
}

async function processTimes(pid: string): Promise<{ ppid: number; own: number; reapedChildren: number } | null> {
  const text = await readFile(join('/proc', pid, 'stat'), 'utf8').catch(() => null);
  if (text === null) return null;
  // comm may hold spaces and parentheses: the fields start after its last ')'. Then state is [0],
  // ppid [1], utime [11], stime [12], cutime [13], cstime [14].
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  const at = (index: number): number => fields[index] ?? 0;
  return { ppid: at(1), own: at(11) + at(12), reapedChildren: at(13) + at(14) };
}

/** postmaster.pid's first line (https://www.postgresql.org/docs/current/storage-file-layout.html). */
async function postmasterPid(serverUrl: string): Promise<number> {
  return withPostgresClient(serverUrl, async (client) => {
    const [row] = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows;
    if (!row) throw new Error('SHOW data_directory returned nothing');
    return Number((await readFile(join(row.data_directory, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  });
}
