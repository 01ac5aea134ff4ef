/**
 * The parts of a records database address the app handles apart: the password (kept in the keychain,
 * never in the settings file; blanked from output) and the environment variable that names the address.
 * Small on purpose: the CLI reads it before it loads anything else.
 */

/** The environment variable that points every process of an installation at a shared PostgreSQL database. */
export const databaseUrlEnvVar = 'MAIL_SETTINGS_DATABASE_URL';

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The password an address carries (postgres://user:PASSWORD@… or ?password=…), decoded; null without one. */
export function passwordInDatabaseUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.password !== '') return decoded(url.password);
  return url.searchParams.get('password') || null;
}

/** The address without its password, and the password it carried (null: none). For the settings file and the keychain. */
export function splitDatabasePassword(text: string): { readonly url: string; readonly password: string | null } {
  const password = passwordInDatabaseUrl(text);
  if (password === null) return { url: text.trim(), password: null };
  const url = new URL(text.trim());
  url.password = '';
  url.searchParams.delete('password');
  return { url: url.href, password };
}

/** The address with `password` in its user part, escaped so that node-postgres reads it back as it is. */
export function withDatabasePassword(text: string, password: string | null): string {
  if (password === null || password === '') return text;
  const url = new URL(text);
  url.password = encodeURIComponent(password);
  return url.href;
}
