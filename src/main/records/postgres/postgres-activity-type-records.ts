import type { ActivityTypeRecords, ActivityTypeRow } from '../activity-type-records';
import type { PostgresDb } from './postgres-db';

function rowOf(row: Record<string, unknown>): ActivityTypeRow {
  return { id: Number(row['id']), name: String(row['name']), retired: row['retired_at'] !== null, noteCount: Number(row['note_count']) };
}

const select = 'SELECT t.id, t.name, t.retired_at, (SELECT count(*) FROM activity_notes n WHERE n.type_id = t.id) AS note_count FROM activity_types t';

/** The Type manager's activity types on PostgreSQL; `name` compares and orders ignoring case (its collation). */
export function postgresActivityTypeRecordsOn(db: PostgresDb): ActivityTypeRecords {
  const byId = async (id: number): Promise<ActivityTypeRow | null> => {
    const [row] = await db.query<Record<string, unknown>>(`${select} WHERE t.id = $1`, [id]);
    return row ? rowOf(row) : null;
  };

  return {
    list: async () => (await db.query<Record<string, unknown>>(`${select} ORDER BY t.name, t.id`)).map(rowOf),
    byName: async (name) => {
      const [row] = await db.query<Record<string, unknown>>(`${select} WHERE t.name = $1`, [name]);
      return row ? rowOf(row) : null;
    },
    byId,
    add: async (name) => {
      const [row] = await db.query<{ id: number }>('INSERT INTO activity_types (name) VALUES ($1) RETURNING id', [name]);
      return { id: Number(row?.id), name, retired: false, noteCount: 0 };
    },
    rename: async (id, name) => {
      await db.query('UPDATE activity_types SET name = $1 WHERE id = $2', [name, id]);
    },
    restore: async (id) => {
      await db.query('UPDATE activity_types SET retired_at = NULL WHERE id = $1', [id]);
    },
    retire: async (id, at) => {
      if (!(await byId(id))) return 'unknown';
      // One statement: no note can get the type between the check and the delete (and the foreign key
      // would refuse it anyway), so a type in use is never deleted.
      const deleted = await db.query('DELETE FROM activity_types WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM activity_notes WHERE type_id = $1) RETURNING id', [id]);
      if (deleted.length > 0) return 'deleted';
      await db.query('UPDATE activity_types SET retired_at = $1 WHERE id = $2', [at.toISOString(), id]);
      return 'retired';
    },
  };
}
