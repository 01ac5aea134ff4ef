import { ErrorCode, type AppError } from '../../../shared/errors';

/** A database address that parsed as a PostgreSQL URL, with what messages may show of it. */
export interface DatabaseAddress {
  /** The URL as given, password included: only for the connection, never for a message or a log. */
  readonly url: string;
  /** The URL with its password replaced by ***: postgres://user:***@host/db. */
  readonly redacted: string;
  /** The database's name (node-postgres, like libpq, takes the user name when the path has none). */
  readonly database: string;
}

const exampleUrl = 'postgres://USER:PASSWORD@HOST:5432/DATABASE (for example postgres://crm:secret@db.example.com:5432/mail_settings)';

/** The address as messages show it: the password (in the user part or a `password` parameter) is ***. */
export function redactDatabaseUrl(url: URL): string {
  const redacted = new URL(url.href);
  if (redacted.password !== '') redacted.password = '***';
  if (redacted.searchParams.has('password')) redacted.searchParams.set('password', '***');
  return redacted.href;
}

function invalid(message: string): AppError {
  return { code: ErrorCode.DatabaseUrlInvalid, message, fix: `Write the database address as ${exampleUrl}. Characters such as @, : or / in the password are written %40, %3A and %2F.` };
}

/**
 * Parses a database address the way node-postgres will (postgres:// and postgresql:// URLs,
 * https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS), or says what is
 * wrong with it. An address that does not parse is never repeated in the message: it may hold a password.
 */
export function parseDatabaseUrl(text: string): { readonly ok: true; readonly address: DatabaseAddress } | { readonly ok: false; readonly error: AppError } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, error: invalid('The database address is not a URL.') };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return { ok: false, error: invalid(`The database address must start with postgres:// or postgresql:// (this one starts with ${url.protocol}//).`) };
  }
  // A host in the URL, or a `host` parameter (a Unix socket directory: postgres:///db?host=/var/run/postgresql).
  if (url.hostname === '' && !url.searchParams.get('host')) {
    return { ok: false, error: invalid('The database address names no database server (host).') };
  }
  let database: string;
  try {
    decodeURIComponent(url.password);
    database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username);
  } catch {
    return { ok: false, error: invalid('The database address has a broken %-escape (a % not followed by two hexadecimal digits).') };
  }
  return { ok: true, address: { url: text.trim(), redacted: redactDatabaseUrl(url), database } };
}
