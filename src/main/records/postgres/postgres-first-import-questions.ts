import type { FirstImportQuestions } from '../first-import-questions';
import type { PostgresDb } from './postgres-db';

export function postgresFirstImportQuestionsOn(db: PostgresDb, now: () => Date): FirstImportQuestions {
  return {
    ask: async (inbox) => {
      await db.query('INSERT INTO first_import_questions (inbox, asked_at) VALUES ($1, $2) ON CONFLICT (inbox) DO NOTHING', [inbox, now().toISOString()]);
    },
    answer: async (inbox) => {
      await db.query('DELETE FROM first_import_questions WHERE inbox = $1', [inbox]);
    },
    isOpen: async (inbox) => (await db.query('SELECT 1 FROM first_import_questions WHERE inbox = $1', [inbox])).length > 0,
  };
}
