import type { RecordsDatabaseInUse } from '../../shared/records-database';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { parseDatabaseUrl } from './postgres/postgres-url';
import { recordsDatabaseFile } from './records-database';
import { databaseUrlEnvVar, withDatabasePassword } from './records-database-url';
import type { RecordsLocation } from './records-store';

/** Where the records are, and how the app shows it (a file path, or the address with its password as ***). */
export interface ResolvedRecordsLocation {
  /** What openRecordsStore opens; a database URL here carries its password, for the connection only. */
  readonly location: RecordsLocation;
  readonly inUse: RecordsDatabaseInUse;
}

export interface RecordsLocationSources {
  readonly dataDir: string;
  /** The CLI's `--database URL`, when given. */
  readonly commandLineUrl?: string | null;
  readonly env: NodeJS.ProcessEnv;
  readonly settings: Pick<SettingsStore, 'getRecordsDatabase'>;
  readonly secrets: Pick<SecretStore, 'get'>;
}

/** What a message may show of an address: redacted, or nothing of it when it does not parse (it may hold a password). */
export function shownDatabaseUrl(text: string): string {
  const parsed = parseDatabaseUrl(text);
  return parsed.ok ? parsed.address.redacted : '(an address that is not a PostgreSQL URL)';
}

function postgresAt(databaseUrl: string, source: 'commandLine' | 'environment' | 'settings'): ResolvedRecordsLocation {
  return { location: { databaseUrl }, inUse: { kind: 'postgres', url: shownDatabaseUrl(databaseUrl), source } };
}

/**
 * Where the records are, first match wins: the CLI's `--database`, MAIL_SETTINGS_DATABASE_URL, the
 * database saved in the app's settings (its password put back from the keychain), else the built-in
 * database in the data directory. An address that does not parse is still the choice: opening it gives
 * the error that says what is wrong with it, rather than the records quietly going elsewhere.
 */
export async function resolveRecordsLocation(sources: RecordsLocationSources): Promise<ResolvedRecordsLocation> {
  const commandLine = sources.commandLineUrl?.trim();
  if (commandLine) return postgresAt(commandLine, 'commandLine');
  const fromEnv = sources.env[databaseUrlEnvVar]?.trim();
  if (fromEnv) return postgresAt(fromEnv, 'environment');
  const saved = sources.settings.getRecordsDatabase();
  if (saved) return postgresAt(withDatabasePassword(saved.url, await sources.secrets.get(secretAccounts.databasePassword)), 'settings');
  return { location: sources.dataDir, inUse: { kind: 'builtIn', file: recordsDatabaseFile(sources.dataDir) } };
}
