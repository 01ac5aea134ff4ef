import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { loadNodeSqlite } from '../platform/sqlite-warning';
import { recordsMigrations } from './records-migrations';

/**
 * Opens `records.sqlite` in the data directory, migrated to the latest schema. WAL lets readers (a
 * records view, the CLI) work while a retrieval writes; synchronous=FULL makes COMMIT return only once
 * the transaction is on disk, which is what allows a retrieved message to be expunged from the server
 * after it (see https://sqlite.org/pragma.html#pragma_synchronous: in WAL mode, FULL also syncs the WAL
 * at each commit, so a commit survives power loss). Several processes may open it at once (the app,
 * the CLI, a scheduled retrieval): busy_timeout makes a writer wait for another's transaction instead
 * of failing.
 */
export async function openRecordsDatabase(dataDir: string): Promise<DatabaseSync> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { DatabaseSync: Database } = loadNodeSqlite();
  const db = new Database(recordsDatabaseFile(dataDir));
  // 64 KiB pages (SQLite's largest) for a new database: a message is kept as one BLOB, mostly in overflow
  // pages, and fewer, larger pages make its insert cheaper (`npm run bench:retrieval`: about 10% less
  // time). Only a database with no content yet takes a page size, and this must come before WAL mode
  // (https://sqlite.org/pragma.html#pragma_page_size); an existing database keeps the size it has.
  db.exec('PRAGMA page_size = 65536;');
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;');
  migrate(db);
  return db;
}

/** The built-in records database's file in a data directory. */
export function recordsDatabaseFile(dataDir: string): string {
  return join(dataDir, 'records.sqlite');
}

/** Applies every migration not yet applied, each in its own transaction (a crash leaves none half-done). */
function migrate(db: DatabaseSync): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const migration of recordsMigrations) {
    // BEGIN IMMEDIATE first, then the check: two processes opening a new data directory at once must
    // not both apply the same migration.
    db.exec('BEGIN IMMEDIATE');
    try {
      const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (!applied) {
        db.exec(migration.sql);
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, new Date().toISOString());
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
