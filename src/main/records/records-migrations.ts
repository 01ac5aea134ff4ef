/**
 * The records store's schema, as numbered migrations applied in order inside one transaction each.
 * Never edit a migration that has shipped: add the next one.
 */
export const recordsMigrations: ReadonlyArray<{ readonly version: number; readonly sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE activity_types (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
      );
      INSERT INTO activity_types (name) VALUES ('Email Sent'), ('Web Lead'), ('Service Desk');
      CREATE TABLE activity_notes (
        id INTEGER PRIMARY KEY,
        type_id INTEGER NOT NULL REFERENCES activity_types(id),
        subject TEXT NOT NULL,
        from_address TEXT NOT NULL,
        to_addresses TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        body_html TEXT NOT NULL,
        raw_message BLOB,
        created_at TEXT NOT NULL
      );
      CREATE INDEX activity_notes_by_time ON activity_notes (occurred_at);
    `,
  },
];
