import { redact, type SecretRegistry } from '../log/redact';

/**
 * The service's log: one line per event on standard output, for journald (or any supervisor that keeps
 * a process's output). Each line starts with its syslog priority as sd-daemon(3) defines the prefix
 * (`<3>` error, `<4>` warning, `<6>` info, `<7>` debug), which journald reads and strips from a service's
 * stdout (SyslogLevelPrefix=, on by default: systemd.exec(5)). Then a short sentence and key=value
 * fields. Never a colour code or a second line: control characters are escaped. Every sentence and
 * every value goes through the redactor, with the secrets this process has seen.
 */

export type FieldValue = string | number | boolean | null | undefined | readonly string[];
export type LogFields = Readonly<Record<string, FieldValue>>;

export interface ServiceLog {
  error(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  debug(event: string, fields?: LogFields): void;
}

const priorities = { error: 3, warn: 4, info: 6, debug: 7 } as const;

// eslint-disable-next-line no-control-regex -- the point is to find control characters (C0, DEL, C1)
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Values that need quotes: empty, or holding a space, a quote, an equals sign or a backslash. */
const needsQuotes = /^$|[\s"=\\]/;

function escapeControls(text: string): string {
  return text.replace(controlCharacters, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function valueText(value: FieldValue, secrets: Iterable<string>): string {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  const clean = escapeControls(redact(text, secrets));
  return needsQuotes.test(clean) ? `"${clean.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : clean;
}

/** One line (without its line end), for `write` and for tests. */
export function formatLogLine(priority: keyof typeof priorities, event: string, fields: LogFields, secrets: Iterable<string>): string {
  const known = [...secrets];
  const parts = [`<${priorities[priority]}>${escapeControls(redact(event, known))}`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${key}=${valueText(value, known)}`);
  }
  return parts.join(' ');
}

/** `write` gets whole lines, each ending with "\n" (the CLI's stdout). */
export function createServiceLog(write: (line: string) => void, secrets: SecretRegistry): ServiceLog {
  const line = (priority: keyof typeof priorities) => (event: string, fields: LogFields = {}) =>
    write(`${formatLogLine(priority, event, fields, secrets.values())}\n`);
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
}
