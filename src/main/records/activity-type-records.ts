import type { DatabaseSync } from 'node:sqlite';

/** An activity type as the Type manager sees it: whether it is retired, and how many notes have it. */
export interface ActivityTypeRow {
  readonly id: number;
  readonly name: string;
  readonly retired: boolean;
  readonly noteCount: number;
}

export type RetireOutcome = 'deleted' | 'retired' | 'unknown';

export interface ActivityTypeRecords {
  list(): Promise<ActivityTypeRow[]>;
  /** The type of this name, compared as the table does (case-insensitively), or null. */
  byName(name: string): Promise<ActivityTypeRow | null>;
  byId(id: number): Promise<ActivityTypeRow | null>;
  add(name: string): Promise<ActivityTypeRow>;
  rename(id: number, name: string): Promise<void>;
  /** Offered again for new records. */
  restore(id: number): Promise<void>;
  /** Deleted when no note has it; otherwise kept for its notes and no longer offered. */
  retire(id: number, at: Date): Promise<RetireOutcome>;
}

function rowOf(row: Record<string, unknown>): ActivityTypeRow {
  return { id: Number(row['id']), name: String(row['name']), retired: row['retired_at'] !== null, noteCount: Number(row['note_count']) };
}

export function activityTypeRecordsOn(db: DatabaseSync): ActivityTypeRecords {
  const select = `SELECT t.id, t.name, t.retired_at, (SELECT count(*) FROM activity_notes n WHERE n.type_id = t.id) AS note_count FROM activity_types t`;
  const selectAll = db.prepare(`${select} ORDER BY t.name COLLATE NOCASE, t.id`);
  const selectByName = db.prepare(`${select} WHERE t.name = ?`);
  const selectById = db.prepare(`${select} WHERE t.id = ?`);
  const insert = db.prepare('INSERT INTO activity_types (name) VALUES (?) RETURNING id');
  const update = db.prepare('UPDATE activity_types SET name = ? WHERE id = ?');
  const setRetired = db.prepare('UPDATE activity_types SET retired_at = ? WHERE id = ?');
  // One statement: no note can get the type between the check and the delete (and the foreign key would
  // refuse it anyway), so a type in use is never deleted.
  const deleteUnused = db.prepare('DELETE FROM activity_types WHERE id = ? AND NOT EXISTS (SELECT 1 FROM activity_notes WHERE type_id = ?)');

  const byId = (id: number): ActivityTypeRow | null => {
    const row = selectById.get(id) as Record<string, unknown> | undefined;
    return row ? rowOf(row) : null;
  };

  return {
    list: async () => (selectAll.all() as Array<Record<string, unknown>>).map(rowOf),
    byName: async (name) => {
      const row = selectByName.get(name) as Record<string, unknown> | undefined;
      return row ? rowOf(row) : null;
    },
    byId: async (id) => byId(id),
    add: async (name) => {
      const { id } = insert.get(name) as { id: number };
      return { id, name, retired: false, noteCount: 0 };
    },
    rename: async (id, name) => {
      update.run(name, id);
    },
    restore: async (id) => {
      setRetired.run(null, id);
    },
    retire: async (id, at) => {
      if (!byId(id)) return 'unknown';
      if (Number(deleteUnused.run(id, id).changes) > 0) return 'deleted';
      setRetired.run(at.toISOString(), id);
      return 'retired';
    },
  };
}
