import type { DatabaseSync } from 'node:sqlite';
import type { InboxId } from '../../shared/inbox';

/**
 * The first connection's question ("Import all" or "Only mail arriving from now on") while it is open.
 * Kept in the records database, so a restart of the app or of `serve` keeps waiting for the answer
 * instead of importing the whole mailbox on the next scheduled run.
 */
export interface FirstImportQuestions {
  /** The dialog asked: scheduled and IDLE runs leave the inbox alone until it is answered. */
  ask(inbox: InboxId): Promise<void>;
  /** Answered: a Check now (Import all), a `retrieve`, or "Only mail arriving from now on". */
  answer(inbox: InboxId): Promise<void>;
  isOpen(inbox: InboxId): Promise<boolean>;
}

export function firstImportQuestionsOn(db: DatabaseSync, now: () => Date): FirstImportQuestions {
  const insert = db.prepare('INSERT INTO first_import_questions (inbox, asked_at) VALUES (?, ?) ON CONFLICT (inbox) DO NOTHING');
  const remove = db.prepare('DELETE FROM first_import_questions WHERE inbox = ?');
  const select = db.prepare('SELECT 1 FROM first_import_questions WHERE inbox = ?');
  return {
    ask: async (inbox) => {
      insert.run(inbox, now().toISOString());
    },
    answer: async (inbox) => {
      remove.run(inbox);
    },
    isOpen: async (inbox) => select.get(inbox) !== undefined,
  };
}
