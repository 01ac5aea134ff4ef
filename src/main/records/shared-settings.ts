import type { DatabaseSync } from 'node:sqlite';

/**
 * Settings kept in the records database for every installation that shares it (team mode): a JSON value
 * per key, with a revision that grows with every write to any key. A write names the revision it was
 * made on and is refused if someone else wrote the key meanwhile (compare-and-set), so an installation
 * that had not seen a colleague's change cannot undo it unknowingly. Never a secret: the values come
 * from the settings file, whose schema has no place for a password or a token; and the team's
 * administrators (shared-admin-store.ts) are hashes, counters and TOTP secrets sealed under their passwords.
 */
export interface SharedSetting {
  readonly key: string;
  /** The value, parsed from its JSON. */
  readonly value: unknown;
  readonly revision: number;
  readonly updatedAt: string;
  /** Which installation wrote it (its readable name). */
  readonly updatedBy: string;
}

export type SharedSettingWrite =
  | { readonly written: true; readonly revision: number }
  /** Someone wrote the key since `expectedRevision`; `current` is what is there now (null: nothing, it was never written). */
  | { readonly written: false; readonly current: SharedSetting | null };

export interface SharedSettings {
  /** The keys' values as they are now (a key never written is left out). */
  read(keys: readonly string[]): Promise<SharedSetting[]>;
  /** Writes `value` if the key's revision is still `expectedRevision` (0: it was never written). One atomic step. */
  write(key: string, value: unknown, expectedRevision: number, updatedBy: string): Promise<SharedSettingWrite>;
  /** The values written after `revision`, oldest first. */
  changedSince(revision: number): Promise<SharedSetting[]>;
}

export function sharedSettingOf(row: Record<string, unknown>): SharedSetting {
  return {
    key: String(row['key']),
    value: JSON.parse(String(row['value'])) as unknown,
    revision: Number(row['revision']),
    updatedAt: String(row['updated_at']),
    updatedBy: String(row['updated_by']),
  };
}

/**
 * The shared settings in the embedded SQLite store. One installation uses that store, so nothing is ever
 * shared through it; it exists so that both adapters have the same parts and schema. BEGIN IMMEDIATE
 * makes the check and the write one writer's step.
 */
export function sharedSettingsOn(db: DatabaseSync, now: () => Date): SharedSettings {
  const selectOne = db.prepare('SELECT * FROM shared_settings WHERE key = ?');
  const selectSince = db.prepare('SELECT * FROM shared_settings WHERE revision > ? ORDER BY revision');
  const upsert = db.prepare(`
    INSERT INTO shared_settings (key, value, revision, updated_at, updated_by)
    VALUES (?, ?, (SELECT COALESCE(MAX(revision), 0) + 1 FROM shared_settings), ?, ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, revision = excluded.revision, updated_at = excluded.updated_at, updated_by = excluded.updated_by
    RETURNING revision`);

  return {
    read: async (keys) =>
      keys.flatMap((key) => {
        const row = selectOne.get(key) as Record<string, unknown> | undefined;
        return row ? [sharedSettingOf(row)] : [];
      }),
    write: async (key, value, expectedRevision, updatedBy) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const row = selectOne.get(key) as Record<string, unknown> | undefined;
        const current = row ? sharedSettingOf(row) : null;
        if ((current?.revision ?? 0) !== expectedRevision) {
          db.exec('COMMIT');
          return { written: false, current };
        }
        const { revision } = upsert.get(key, JSON.stringify(value), now().toISOString(), updatedBy) as { revision: number };
        db.exec('COMMIT');
        return { written: true, revision: Number(revision) };
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    changedSince: async (revision) => (selectSince.all(revision) as Array<Record<string, unknown>>).map(sharedSettingOf),
  };
}
