import type { InboxRecordLookup } from '../inbox-record-lookup';
import { recordJoins } from '../inbox-records';
import type { PostgresDb } from './postgres-db';
import { inboxRecordsOf, recordColumnsWithoutRaw } from './postgres-inbox-rows';

/** One inbox record by its id (inbox-record-lookup.ts), on PostgreSQL. */
export function postgresInboxRecordLookupOn(db: PostgresDb): InboxRecordLookup {
  return async (id) => {
    const rows = await db.query(`SELECT ${recordColumnsWithoutRaw} FROM ${recordJoins} WHERE m.id = $1`, [id]);
    const [record] = await inboxRecordsOf(db, rows);
    return record ?? null;
  };
}
