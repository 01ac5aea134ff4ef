import { copyInBatches, sourceIdOf } from './copy-in-batches';
import type { CopyRun } from './copy-run';

/**
 * Copies the activity types by name: a type the shared database has (the three every records database
 * starts with, or another installation's of the same name, case ignored as the Type manager does) is
 * that one; a type it lacks is added, retired if it was retired here.
 */
export async function copyActivityTypes(run: CopyRun): Promise<void> {
  await copyInBatches(run, 'activity_types', async (tx, rows) => {
    const copied = [];
    for (const row of rows) {
      const [there] = await tx.query<{ id: number }>('SELECT id FROM activity_types WHERE name = $1', [row['name']]);
      const [added] = there ? [] : await tx.query<{ id: number }>('INSERT INTO activity_types (name, retired_at) VALUES ($1, $2) RETURNING id', [row['name'], row['retired_at']]);
      copied.push({ sourceId: sourceIdOf(row), targetId: Number((there ?? added)?.id), copied: there === undefined });
    }
    return copied;
  });
}
