import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientConfig } from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres-database';
import { testbed } from '../testbed/client';
import { createPostgresCluster, startPostgres, stopPostgres } from '../testbed/postgres';
import { crash } from '../testbed/server-outage';

/** Runs `work` on a fresh connection and closes it. */
async function withClient<T>(config: string | ClientConfig, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(typeof config === 'string' ? { connectionString: config } : config);
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The error a connection attempt ends with (undefined if it connected). */
async function connectionError(config: ClientConfig): Promise<(Error & { code?: string }) | undefined> {
  try {
    await withClient(config, async () => undefined);
    return undefined;
  } catch (error) {
    return error as Error & { code?: string };
  }
}

/** Local addresses of the TCP sockets listening on `port` (from /proc/net/tcp and tcp6, hex as the kernel writes them). */
async function listeningAddresses(port: number): Promise<string[]> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (await readFile(table, 'utf8')).split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) addresses.push(local.slice(0, local.lastIndexOf(':')));
    }
  }
  return addresses;
}

describe('test bed: PostgreSQL', () => {
  it('a fresh database of its own takes a table and a row and gives the row back; drop() removes it', async () => {
    const database = await createTestDatabase();
    const written = `lead-${randomUUID()}`;
    const read = await withClient(database.url, async (client) => {
      await client.query('CREATE TABLE records (id serial PRIMARY KEY, subject text NOT NULL)');
      await client.query('INSERT INTO records (subject) VALUES ($1)', [written]);
      const current = await client.query<{ name: string }>('SELECT current_database() AS name');
      const rows = await client.query<{ subject: string }>('SELECT subject FROM records');
      return { database: current.rows[0]?.name, subjects: rows.rows.map((r) => r.subject) };
    });
    expect(read).toEqual({ database: database.name, subjects: [written] });
    expect(database.url).toMatch(new RegExp(`^postgres://testbed:[0-9a-f]+@127\\.0\\.0\\.1:${testbed().postgres.port}/${database.name}$`));

    await database.drop();
    // 3D000: invalid_catalog_name, "database … does not exist".
    expect((await connectionError({ connectionString: database.url }))?.code).toBe('3D000');
  });

  it('listens on 127.0.0.1 only: no other address of the machine reaches it', async () => {
    const { port, url } = testbed().postgres;
    // 0100007F is 127.0.0.1 in /proc's byte order.
    expect(await listeningAddresses(port)).toEqual(['0100007F']);
    expect(await withClient(url, async (client) => (await client.query<{ listen_addresses: string }>('SHOW listen_addresses')).rows[0]?.listen_addresses)).toBe('127.0.0.1');
    const otherAddresses = Object.values(networkInterfaces())
      .flat()
      .flatMap((i) => (i && !i.internal && i.family === 'IPv4' ? [i.address] : []));
    for (const host of otherAddresses) {
      const { user, password } = testbed().postgres;
      expect((await connectionError({ host, port, user, password, database: 'postgres', connectionTimeoutMillis: 2_000 }))?.message).toMatch(/ECONNREFUSED/);
    }
  });

  it('refuses a wrong password (28P01) and the right one gets in', async () => {
    const { port, user, password } = testbed().postgres;
    const wrong = await connectionError({ host: '127.0.0.1', port, user, password: `not-${password}`, database: 'postgres' });
    // 28P01: invalid_password, "password authentication failed for user …".
    expect(wrong?.code).toBe('28P01');
    expect(await connectionError({ host: '127.0.0.1', port, user, password, database: 'postgres' })).toBeUndefined();
  });

  it('a cluster of its own restarts on the same port and data dir, after a clean stop and after a crash, with every committed row', async () => {
    const cluster = await createPostgresCluster(join(testbed().dir, `postgres-${randomUUID()}`));
    let server = await startPostgres(cluster);
    const port = server.port;
    try {
      await withClient(server.url, (client) => client.query("CREATE TABLE records (subject text); INSERT INTO records VALUES ('before the stop')"));
      await stopPostgres(server);
      server = await startPostgres(cluster, { port });
      await withClient(server.url, (client) => client.query("INSERT INTO records VALUES ('before the crash')"));
      // SIGKILL to every process of the server at once: only what was committed may survive.
      await crash(server.pid);
      server = await startPostgres(cluster, { port });
      const rows = await withClient(server.url, (client) => client.query<{ subject: string }>('SELECT subject FROM records ORDER BY subject DESC'));
      expect(server.port).toBe(port);
      expect(rows.rows.map((r) => r.subject)).toEqual(['before the stop', 'before the crash']);
    } finally {
      await stopPostgres(server);
    }
  });
});
