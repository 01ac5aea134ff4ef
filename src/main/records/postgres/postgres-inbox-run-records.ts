import type { InboxRunSummary } from '../../../shared/inbox';
import type { InboxRunRecords } from '../inbox-run-records';
import type { PostgresDb } from './postgres-db';

/** Runs kept per inbox: enough history to look back on, without growing for ever under a cron job. */
const keptPerInbox = 200;

export function postgresInboxRunRecordsOn(db: PostgresDb): InboxRunRecords {
  return {
    add: async (summary) => {
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO inbox_runs (inbox, finished_at, summary) VALUES ($1, $2, $3)', [summary.inbox, summary.finishedAt, JSON.stringify(summary)]);
        await tx.query('DELETE FROM inbox_runs WHERE inbox = $1 AND id <= (SELECT id FROM inbox_runs WHERE inbox = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)', [summary.inbox, keptPerInbox]);
      });
    },
    last: async (inbox) => {
      const [row] = await db.query<{ summary: string }>('SELECT summary FROM inbox_runs WHERE inbox = $1 ORDER BY id DESC LIMIT 1', [inbox]);
      return row ? (JSON.parse(row.summary) as InboxRunSummary) : null;
    },
  };
}
