import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretRegistry } from './redact';
import { redactValue } from './redact-value';

export interface Logger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
  /** Resolves when every line written so far is on disk. */
  flush(): Promise<void>;
}

/**
 * A JSON-lines log in `<dataDir>/logs/mail-settings.log`. Every entry is redacted before it is serialised
 * (redact-value.ts walks the details: nested objects, arrays, errors, secret-named keys), and writes are
 * queued (no sync fs in the main process).
 */
export function createFileLogger(dataDir: string, secrets: SecretRegistry): Logger {
  const dir = join(dataDir, 'logs');
  const file = join(dir, 'mail-settings.log');
  let queue: Promise<void> = mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined);

  function write(level: string, message: string, details?: Record<string, unknown>): void {
    const line = JSON.stringify(redactValue({ time: new Date().toISOString(), level, message, ...details }, secrets.values()));
    queue = queue.then(() => appendFile(file, `${line}\n`, { mode: 0o600 })).catch(() => undefined);
  }

  return {
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
    flush: () => queue,
  };
}

/** Log details of a failure; the logger redacts them (and whatever the error carries) before writing. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.name, detail: error.message, stack: error.stack, ...(error.cause === undefined ? {} : { cause: error.cause }) };
  return { error: String(error) };
}
