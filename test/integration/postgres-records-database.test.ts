import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { Pool } from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresRecordsError, isConnectionLoss, postgresAppError } from '../../src/main/records/postgres/postgres-errors';
import { openPostgresRecordsDatabase } from '../../src/main/records/postgres/postgres-database';
import { postgresMigrations } from '../../src/main/records/postgres/postgres-migrations';
import { parseDatabaseUrl } from '../../src/main/records/postgres/postgres-url';
import { openRecordsDatabase } from '../../src/main/records/records-database';
import { recordsMigrations } from '../../src/main/records/records-migrations';
import type { AppError } from '../../src/shared/errors';
import { createTestDatabase, withPostgresClient, type TestDatabase } from '../support/postgres-database';
import { testbed } from '../testbed/client';
import { freePort } from '../testbed/proc';

/** What the schema promises, per table: comparable between SQLite and PostgreSQL. */
interface TableShape {
  /** Column name → NOT NULL. */
  columns: Record<string, boolean>;
  /**
   * Column lists that are unique: the primary key, UNIQUE constraints and unique indexes. An expression
   * (an index on COALESCE(…)) shows as `(expression)`: the dialects write the same one differently.
   */
  unique: string[];
  /** Other indexes, as `name(columns)`. */
  indexes: string[];
  /** `column -> table(column) on delete <action>`. */
  foreignKeys: string[];
}

function sqliteShape(db: DatabaseSync): Record<string, TableShape> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
  const shape: Record<string, TableShape> = {};
  for (const { name: table } of tables) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string; notnull: number; pk: number }>;
    // SQLite lets a primary key column hold NULL unless it is INTEGER PRIMARY KEY (which assigns one);
    // the app never stores one, and PostgreSQL's primary keys are NOT NULL: compared as NOT NULL.
    const primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const unique = [primaryKey.join(',')];
    const indexes: string[] = [];
    for (const index of db.prepare(`PRAGMA index_list(${table})`).all() as Array<{ name: string; unique: number; origin: string }>) {
      const indexColumns = (db.prepare(`PRAGMA index_info(${index.name})`).all() as Array<{ seqno: number; name: string | null }>)
        .sort((a, b) => a.seqno - b.seqno)
        .map((c) => c.name ?? '(expression)')
        .join(',');
      if (index.origin === 'pk') continue;
      if (index.unique) unique.push(indexColumns);
      else indexes.push(`${index.name}(${indexColumns})`);
    }
    const foreignKeys = (db.prepare(`PRAGMA foreign_key_list(${table})`).all() as Array<{ from: string; table: string; to: string; on_delete: string }>).map(
      (fk) => `${fk.from} -> ${fk.table}(${fk.to}) on delete ${fk.on_delete.toLowerCase()}`,
    );
    shape[table] = {
      columns: Object.fromEntries(columns.map((c) => [c.name, c.notnull === 1 || c.pk > 0])),
      unique: unique.sort(),
      indexes: indexes.sort(),
      foreignKeys: foreignKeys.sort(),
    };
  }
  return shape;
}

async function postgresShape(pool: Pool): Promise<Record<string, TableShape>> {
  const columns = await pool.query<{ table_name: string; column_name: string; is_nullable: string }>(
    "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
  );
  const indexes = await pool.query<{ table_name: string; index_name: string; unique: boolean; columns: string }>(`
    SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS unique,
      (SELECT string_agg(COALESCE(a.attname, '(expression)'), ',' ORDER BY k.ord) FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'`);
  const foreignKeys = await pool.query<{ table_name: string; description: string }>(`
    SELECT t.relname AS table_name, a.attname || ' -> ' || ft.relname || '(' || fa.attname || ') on delete '
      || CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'a' THEN 'no action' ELSE c.confdeltype::text END AS description
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class ft ON ft.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
    WHERE c.contype = 'f' AND n.nspname = 'public'`);
  const shape: Record<string, TableShape> = {};
  const tableOf = (name: string) => (shape[name] ??= { columns: {}, unique: [], indexes: [], foreignKeys: [] });
  for (const c of columns.rows) tableOf(c.table_name).columns[c.column_name] = c.is_nullable === 'NO';
  for (const i of indexes.rows) {
    if (i.unique) tableOf(i.table_name).unique.push(i.columns);
    else tableOf(i.table_name).indexes.push(`${i.index_name}(${i.columns})`);
  }
  for (const fk of foreignKeys.rows) tableOf(fk.table_name).foreignKeys.push(fk.description);
  for (const table of Object.values(shape)) {
    table.unique.sort();
    table.indexes.sort();
    table.foreignKeys.sort();
  }
  return shape;
}

/** What opening `url` fails with, as the user sees it. */
async function openingError(url: string): Promise<AppError> {
  const pool = await openPostgresRecordsDatabase(url, { connectionTimeoutMillis: 5_000 }).catch((error: unknown) => error);
  if (!(pool instanceof PostgresRecordsError)) throw new Error(`expected the database to be refused, got ${String(pool)}`);
  return pool.appError;
}

function withPassword(url: string, password: string): string {
  const changed = new URL(url);
  changed.password = password;
  return changed.href;
}

/** Every migration's version, in order: each adapter ends at the last. */
const allVersions = recordsMigrations.map((m) => m.version);

describe('PostgreSQL records database', () => {
  let database: TestDatabase;
  const pools: Pool[] = [];
  const open = async (url = database.url) => {
    const pool = await openPostgresRecordsDatabase(url);
    pools.push(pool);
    return pool;
  };
  const appliedMigrations = async (pool: Pool) =>
    (await pool.query<{ version: number; applied_at: string }>('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
    await database.drop();
  });

  it('has the same numbered migrations as SQLite, and migrates a fresh database to the latest; opening it again applies nothing', async () => {
    expect(postgresMigrations.map((m) => m.version)).toEqual(recordsMigrations.map((m) => m.version));
    // 1, 2, … with none missing; 10 brought the mailbox leases and the content key.
    expect(allVersions).toEqual(allVersions.map((_, index) => index + 1));
    expect(allVersions).toContain(10);

    const first = await appliedMigrations(await open());
    expect(first.map((m) => m.version)).toEqual(allVersions);
    await pools.splice(0)[0]?.end();

    const again = await open();
    expect(await appliedMigrations(again)).toEqual(first);
    // The seeded activity types are there once, not once per opening.
    expect((await again.query('SELECT name FROM activity_types ORDER BY id')).rows).toEqual([{ name: 'Email Sent' }, { name: 'Web Lead' }, { name: 'Service Desk' }]);
  });

  it('compresses the raw messages with LZ4 where the server has it (Debian’s PostgreSQL does)', async () => {
    const pool = await open();
    const { rows } = await pool.query<{ column: string; compression: string }>(
      `SELECT attrelid::regclass || '.' || attname AS column, attcompression AS compression FROM pg_attribute
       WHERE (attrelid, attname) IN (('inbox_messages'::regclass, 'raw'), ('activity_notes'::regclass, 'raw_message')) ORDER BY 1`,
    );
    // 'l': LZ4 (pg_attribute.attcompression); '' would be the server's default, pglz.
    expect(rows).toEqual([
      { column: 'activity_notes.raw_message', compression: 'l' },
      { column: 'inbox_messages.raw', compression: 'l' },
    ]);
  });

  it('two installations opening one new database at once both succeed, and each migration is applied once', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    expect((await appliedMigrations(a)).map((m) => m.version)).toEqual(allVersions);
    expect((await b.query('SELECT count(*) AS types FROM activity_types')).rows).toEqual([{ types: 3 }]);
  });

  it('ends in the schema SQLite has after the same migrations: tables, columns, NOT NULL, unique keys, indexes, foreign keys', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-records-schema-'));
    try {
      const sqlite = await openRecordsDatabase(dataDir);
      const expected = sqliteShape(sqlite);
      sqlite.close();
      expect(Object.keys(expected)).toContain('inbox_messages');
      expect(expected['mailbox_leases']?.unique).toEqual(['mailbox_key']);
      expect(expected['inbox_messages']?.unique).toContain('inbox,(expression),raw_sha256');
      expect(await postgresShape(await open())).toEqual(expected);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('applies the later migrations on top of rows kept under the earlier ones', async () => {
    // A database left at migration 4 with a Lead and a Service Desk message in it.
    await withPostgresClient(database.url, async (client) => {
      await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)');
      for (const migration of postgresMigrations.filter((m) => m.version <= 4)) {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations VALUES ($1, '2024-01-01T00:00:00.000Z')", [migration.version]);
      }
      await client.query(`
        INSERT INTO activity_notes (id, type_id, subject, from_address, to_addresses, occurred_at, body_html, created_at)
          VALUES (1, 2, 'Quote request', 'ann@example.com', '[]', '2024-01-01', '', '2024-01-01');
        INSERT INTO cases (id, subject, opened_at, created_at) VALUES (1, 'Printer broken', '2024-01-01', '2024-01-01');
        INSERT INTO inbox_messages (inbox, account_key, mailbox, uid_validity, uid, raw_sha256, raw_size, raw, subject, fields, in_reply_to,
            reference_ids, activity_note_id, case_id, retrieved_at)
          VALUES ('lead', 'a', 'INBOX', 4294967295, 4294967295, 'x', 1, '\\x41', 'Quote request', '{}', '[]', '[]', 1, NULL, '2024-01-01'),
                 ('serviceDesk', 'b', 'INBOX', 1, 1, 'y', 1, '\\x42', 'Printer broken', '{}', '[]', '[]', NULL, 1, '2024-01-01');`);
    });

    const pool = await open();
    expect((await appliedMigrations(pool)).map((m) => m.version)).toEqual(allVersions);
    // UIDVALIDITY and UID are 32-bit unsigned: 2^32-1 is kept, and comes back as a number, as from SQLite.
    expect((await pool.query('SELECT inbox, target, thread_role, flagged, uid_validity, uid FROM inbox_messages ORDER BY id')).rows).toEqual([
      { inbox: 'lead', target: 'lead', thread_role: null, flagged: 0, uid_validity: 4294967295, uid: 4294967295 },
      { inbox: 'serviceDesk', target: 'serviceDesk', thread_role: 'opened', flagged: 0, uid_validity: 1, uid: 1 },
    ]);
  });

  it('compares activity type names ignoring case, as SQLite’s NOCASE does, and keeps the checks on sources and record kinds', async () => {
    const pool = await open();
    expect((await pool.query('SELECT id FROM activity_types WHERE name = $1', ['web lead'])).rows).toEqual([{ id: 2 }]);
    await expect(pool.query("INSERT INTO activity_types (name) VALUES ('EMAIL SENT')")).rejects.toMatchObject({ code: '23505' });
    await pool.query("INSERT INTO inbox_runs (inbox, finished_at, summary) VALUES ('integration:7', '2024-01-01', '{}')");
    // 23514: check_violation.
    await expect(pool.query("INSERT INTO inbox_runs (inbox, finished_at, summary) VALUES ('integration:', '2024-01-01', '{}')")).rejects.toMatchObject({ code: '23514' });
    await expect(pool.query("INSERT INTO mailbox_counters VALUES ('other', 'a', 'INBOX', 1, 1, '2024-01-01')")).rejects.toMatchObject({ code: '23514' });
  });

  describe('failures, as the user sees them, never with the password', () => {
    const { password } = testbed().postgres;
    const expectNoSecrets = (error: AppError, ...secrets: string[]) => {
      const shown = JSON.stringify(error);
      for (const secret of secrets) expect(shown).not.toContain(secret);
      expect(shown).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
    };

    it('a wrong password: DATABASE_AUTH_FAILED, naming the address with *** for the password', async () => {
      const wrong = `wrong-${password}`;
      const error = await openingError(withPassword(database.url, wrong));
      expect(error.code).toBe('DATABASE_AUTH_FAILED');
      expect(error.message).toContain(`postgres://testbed:***@127.0.0.1:${testbed().postgres.port}/${database.name}`);
      expectNoSecrets(error, wrong, password);
    });

    it('no password in the address of a server that asks for one: DATABASE_AUTH_FAILED, saying so; the attempt leaves no connection open', async () => {
      const openSockets = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length;
      const before = openSockets();
      const error = await openingError(withPassword(database.url, ''));
      expect(error).toMatchObject({ code: 'DATABASE_AUTH_FAILED', message: expect.stringContaining('asks for a password') });
      expectNoSecrets(error, password);
      // pg-pool keeps the socket of a connection refused on the client's side, and the server its backend
      // until authentication_timeout (60 s); the app closes it.
      await expect.poll(openSockets, { timeout: 2_000 }).toBe(before);
    });

    it('no such database: DATABASE_NOT_FOUND, saying how to create it', async () => {
      const url = new URL(database.url);
      url.pathname = '/mail_settings_missing';
      const error = await openingError(url.href);
      expect(error).toMatchObject({ code: 'DATABASE_NOT_FOUND', fix: expect.stringContaining('createdb mail_settings_missing') });
      expectNoSecrets(error, password);
    });

    it('a port nothing listens on: DATABASE_UNREACHABLE', async () => {
      const url = new URL(database.url);
      url.port = String(await freePort());
      const error = await openingError(url.href);
      expect(error).toMatchObject({ code: 'DATABASE_UNREACHABLE', fix: expect.stringContaining('PostgreSQL is running') });
      expectNoSecrets(error, password);
    });

    it('an address that is not PostgreSQL’s, or not a URL: DATABASE_URL_INVALID, showing what a valid one looks like', async () => {
      const mysql = await openingError(`mysql://crm:${password}@127.0.0.1/records`);
      expect(mysql).toMatchObject({ code: 'DATABASE_URL_INVALID', message: expect.stringContaining('mysql://'), fix: expect.stringContaining('postgres://USER:PASSWORD@HOST:5432/DATABASE') });
      expectNoSecrets(mysql, password);
      const notUrl = await openingError(`crm:${password}@127.0.0.1/records`);
      expect(notUrl.code).toBe('DATABASE_URL_INVALID');
      expectNoSecrets(notUrl, password);
      expect(parseDatabaseUrl(`postgresql://crm:${password}@db.example.com/records?sslmode=require`)).toMatchObject({
        ok: true,
        address: { redacted: 'postgresql://crm:***@db.example.com/records?sslmode=require', database: 'records' },
      });
    });

    it('a connection the server ends mid-run is a connection loss: DATABASE_UNAVAILABLE, saying nothing unsaved was deleted', async () => {
      const pool = await open();
      const client = await pool.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      const running = client.query('SELECT pg_sleep(30)').catch((error: unknown) => error);
      // What a server shutdown does to each session: 57P01 admin_shutdown.
      await withPostgresClient(testbed().postgres.url, (admin) => admin.query('SELECT pg_terminate_backend($1)', [pid]));
      const lost = await running;
      expect(lost).toMatchObject({ code: '57P01' });
      expect(isConnectionLoss(lost)).toBe(true);
      // The connection's next statement fails too (and the process goes on: the pool's listener takes the error).
      expect(isConnectionLoss(await client.query('SELECT 1').catch((error: unknown) => error))).toBe(true);
      client.release(true);
      const parsed = parseDatabaseUrl(database.url);
      if (!parsed.ok) throw new Error('the test database URL should parse');
      const error = postgresAppError(lost, parsed.address);
      expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', fix: expect.stringContaining('next run') });
      expectNoSecrets(error, password);

      // A refused sign-in is not a connection loss: retrying will not help.
      const refused = await withPostgresClient(withPassword(database.url, `wrong-${password}`), async () => undefined).catch((e: unknown) => e);
      expect(isConnectionLoss(refused)).toBe(false);
    });
  });
});
