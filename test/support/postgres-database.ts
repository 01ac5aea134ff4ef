import { randomUUID } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { testbed } from '../testbed/client';

/** A database of one test's own on the test bed's PostgreSQL; drop() removes it. */
export interface TestDatabase {
  /** A superuser's URL to this database: postgres://<user>:<password>@127.0.0.1:<port>/<name>. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** Runs `work` on a connection of its own to `url`, closed afterwards (a test's look into the database). */
export async function withPostgresClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, uniquely named database, so test files running in parallel never share one.
 * `serverUrl` is a superuser's URL to the server (by default the test bed's; a test that starts its own
 * cluster passes that one's).
 */
export async function createTestDatabase({ serverUrl = testbed().postgres.url }: { serverUrl?: string } = {}): Promise<TestDatabase> {
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await withPostgresClient(serverUrl, (client) => client.query(`CREATE DATABASE ${escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // WITH (FORCE) ends sessions a test left open (a pool not yet closed) instead of failing on them.
    drop: () => withPostgresClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}
