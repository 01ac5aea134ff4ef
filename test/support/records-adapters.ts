import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openRecordsStore, type RecordsLocation, type RecordsStore } from '../../src/main/records/records-store';
import { createTestDatabase, withPostgresClient } from './postgres-database';

/** A write the database refuses, as a full disk would: rows of `table` whose `column` would become `value`. */
export interface RefusedWrite {
  readonly table: string;
  readonly column: string;
  readonly value: number;
  /** The error the write fails with. */
  readonly message: string;
}

/** Records of one test's own, on one adapter. */
export interface OpenedRecords {
  readonly store: RecordsStore;
  /** Another store on the same records, as another process (or machine) opens them. */
  openAgain(): Promise<RecordsStore>;
  /** From now on the database refuses inserts and updates that `refused` describes (a trigger). */
  refuseWrites(refused: RefusedWrite): Promise<void>;
  /** Closes `store` (if still open) and removes the records. */
  close(): Promise<void>;
}

export interface RecordsAdapter {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** Fresh, empty records (migrated); `now` is the store's clock. */
  open(options?: { readonly now?: () => Date }): Promise<OpenedRecords>;
}

async function openedAt(location: RecordsLocation, now: (() => Date) | undefined, parts: Pick<OpenedRecords, 'refuseWrites'> & { remove(): Promise<void> }): Promise<OpenedRecords> {
  const store = await openRecordsStore(location, now);
  let closed = false;
  const close = store.close.bind(store);
  const tracked: RecordsStore = {
    ...store,
    close: async () => {
      closed = true;
      await close();
    },
  };
  return {
    store: tracked,
    openAgain: () => openRecordsStore(location, now),
    refuseWrites: parts.refuseWrites,
    close: async () => {
      if (!closed) await tracked.close();
      await parts.remove();
    },
  };
}

const sqlite: RecordsAdapter = {
  name: 'SQLite',
  open: async ({ now } = {}) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-records-'));
    return openedAt(dataDir, now, {
      refuseWrites: async ({ table, column, value, message }) => {
        const db = new DatabaseSync(join(dataDir, 'records.sqlite'));
        try {
          for (const event of ['INSERT', 'UPDATE']) {
            db.exec(`CREATE TRIGGER refuse_${event.toLowerCase()}_${table}_${column}_${value} BEFORE ${event} ON ${table}
              WHEN NEW.${column} = ${value} BEGIN SELECT RAISE(ABORT, '${message}'); END`);
          }
        } finally {
          db.close();
        }
      },
      remove: () => rm(dataDir, { recursive: true, force: true }),
    });
  },
};

const postgres: RecordsAdapter = {
  name: 'PostgreSQL',
  open: async ({ now } = {}) => {
    const database = await createTestDatabase();
    return openedAt({ databaseUrl: database.url }, now, {
      refuseWrites: async ({ table, column, value, message }) => {
        const name = `refuse_${table}_${column}_${value}`;
        await withPostgresClient(database.url, (client) =>
          client.query(`
            CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.${column} = ${value} THEN RAISE EXCEPTION '${message}'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER ${name} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`),
        );
      },
      remove: () => database.drop(),
    });
  },
};

/** The records suite runs on both: `describe.each(recordsAdapters)('… ($name)', (adapter) => …)`. */
export const recordsAdapters: readonly RecordsAdapter[] = [sqlite, postgres];
