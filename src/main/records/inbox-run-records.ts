import type { DatabaseSync } from 'node:sqlite';
import type { InboxId, InboxRunSummary } from '../../shared/inbox';

export interface InboxRunRecords {
  /** Keeps how a retrieval run ended (whoever ran it: the app, the CLI, a scheduled run). */
  add(summary: InboxRunSummary): Promise<void>;
  last(inbox: InboxId): Promise<InboxRunSummary | null>;
}

/** Runs kept per inbox: enough history to look back on, without growing for ever under a cron job. */
const keptPerInbox = 200;

export function inboxRunRecordsOn(db: DatabaseSync): InboxRunRecords {
  const insert = db.prepare('INSERT INTO inbox_runs (inbox, finished_at, summary) VALUES (?, ?, ?)');
  const prune = db.prepare('DELETE FROM inbox_runs WHERE inbox = ? AND id <= (SELECT id FROM inbox_runs WHERE inbox = ? ORDER BY id DESC LIMIT 1 OFFSET ?)');
  const selectLast = db.prepare('SELECT summary FROM inbox_runs WHERE inbox = ? ORDER BY id DESC LIMIT 1');
  return {
    add: async (summary) => {
      insert.run(summary.inbox, summary.finishedAt, JSON.stringify(summary));
      prune.run(summary.inbox, summary.inbox, keptPerInbox);
    },
    last: async (inbox) => {
      const row = selectLast.get(inbox) as { summary: string } | undefined;
      return row ? (JSON.parse(row.summary) as InboxRunSummary) : null;
    },
  };
}
