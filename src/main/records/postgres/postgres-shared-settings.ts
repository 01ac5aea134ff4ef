import { sharedSettingOf, type SharedSettings } from '../shared-settings';
import type { PostgresDb } from './postgres-db';

/**
 * The shared settings (shared-settings.ts) in the database the installations share. A write takes one
 * transaction-scoped advisory lock for the whole table: the check of the key's revision and the next
 * revision number (one more than the highest of any key) are then read by one writer at a time, so
 * revisions never repeat and `changedSince` never misses a write that committed late.
 */
export function postgresSharedSettingsOn(db: PostgresDb): SharedSettings {
  return {
    read: async (keys) => (await db.query('SELECT * FROM shared_settings WHERE key = ANY($1::text[]) ORDER BY revision', [[...keys]])).map(sharedSettingOf),
    write: (key, value, expectedRevision, updatedBy) =>
      db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtextextended('shared_settings', 0))");
        const [row] = await tx.query('SELECT * FROM shared_settings WHERE key = $1', [key]);
        const current = row ? sharedSettingOf(row) : null;
        if ((current?.revision ?? 0) !== expectedRevision) return { written: false, current };
        const [written] = await tx.query<{ revision: string | number }>(
          `INSERT INTO shared_settings (key, value, revision, updated_at, updated_by)
           VALUES ($1, $2, (SELECT COALESCE(MAX(revision), 0) + 1 FROM shared_settings),
             to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), $3)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, revision = EXCLUDED.revision,
             updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
           RETURNING revision`,
          [key, JSON.stringify(value), updatedBy],
        );
        return { written: true, revision: Number(written?.revision) };
      }),
    changedSince: async (revision) => (await db.query('SELECT * FROM shared_settings WHERE revision > $1 ORDER BY revision', [revision])).map(sharedSettingOf),
  };
}
