import type { AppError } from '../../shared/errors';
import { placeholder, redact, redactMessage } from './redact';

/**
 * Redacts a structured value before it is serialised: every string is redacted as text, and the value of
 * any key named like a secret is blanked whatever it holds. Serialising first and redacting the JSON would
 * miss secrets that JSON escapes (a password with a quote or a backslash, a token with a control
 * character), and lose Error objects altogether (JSON.stringify gives `{}` for them).
 */
export function redactValue(value: unknown, knownSecrets: Iterable<string> = []): unknown {
  const secrets = [...knownSecrets];
  const seen = new WeakSet<object>();
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return redact(item, secrets);
    if (typeof item === 'bigint') return item.toString();
    if (typeof item === 'function' || typeof item === 'symbol') return undefined;
    if (item === null || typeof item !== 'object') return item;
    if (seen.has(item)) return '[circular]';
    if (depth > maxDepth) return '[too deep]';
    seen.add(item);
    if (item instanceof Date) return item.toISOString();
    // Raw bytes may be a credential (an AUTH line, a key): say how many, never what.
    if (item instanceof Uint8Array || item instanceof ArrayBuffer) return `[${item.byteLength} bytes]`;
    if (Array.isArray(item)) return item.map((entry) => walk(entry, depth + 1));
    if (item instanceof Map) return walk(Object.fromEntries(item), depth);
    if (item instanceof Set) return walk([...item], depth);
    const out: Record<string, unknown> = {};
    if (item instanceof Error) {
      // Not enumerable, so spelled out; `code`, `response`, `command` (nodemailer) and the rest follow.
      out['name'] = item.name;
      out['message'] = redact(item.message, secrets);
      if (item.stack !== undefined) out['stack'] = redact(item.stack, secrets);
      if (item.cause !== undefined) out['cause'] = walk(item.cause, depth + 1);
    }
    for (const [key, entry] of Object.entries(item)) {
      out[key] = isSecretKey(key) && entry !== null && entry !== undefined && typeof entry !== 'boolean' ? placeholder : walk(entry, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}

/** Deep enough for any log detail or error the app builds; a deeper value is a bug or a cycle. */
const maxDepth = 12;

/** The last word of a key (camelCase, snake_case, kebab-case) that names a secret: `accessToken`, `client_secret`, `Authorization`. */
const secretWords = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'tokens', 'authorization', 'cookie', 'verifier', 'assertion', 'credential', 'credentials', 'apikey']);

function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const last = words.at(-1) ?? '';
  const lastTwo = words.slice(-2).join('');
  return secretWords.has(last) || lastTwo === 'apikey' || lastTwo === 'privatekey' || key.toLowerCase() === 'set-cookie';
}

/**
 * An error about to leave the process (IPC to the renderer, the CLI's output) with every known secret and
 * unmistakable secret shape blanked. Only those: the texts are the app's own sentences, which quote a
 * server's words already redacted where they are built (smtp-errors.ts, oauth-errors.ts).
 */
export function redactAppError(error: AppError, knownSecrets: Iterable<string>): AppError {
  const secrets = [...knownSecrets];
  return {
    ...error,
    message: redactMessage(error.message, secrets),
    ...(error.fix === undefined ? {} : { fix: redactMessage(error.fix, secrets) }),
    ...(error.fieldErrors === undefined
      ? {}
      : { fieldErrors: Object.fromEntries(Object.entries(error.fieldErrors).map(([field, text]) => [field, redactMessage(text, secrets)])) }),
  };
}

/**
 * Every AppError inside a value (a failed Result's error, an account state's `reason`) redacted as
 * redactAppError does; everything else is returned as it is. For plain data about to cross IPC.
 */
export function redactErrorsWithin<T>(value: T, knownSecrets: Iterable<string>): T {
  const secrets = [...knownSecrets];
  const walk = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(walk);
    if (item === null || typeof item !== 'object' || !isPlainObject(item)) return item;
    const record = item as Record<string, unknown>;
    if (typeof record['code'] === 'string' && typeof record['message'] === 'string') return redactAppError(record as unknown as AppError, secrets);
    return Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, walk(entry)]));
  };
  return walk(value) as T;
}

function isPlainObject(item: object): boolean {
  const prototype = Object.getPrototypeOf(item) as unknown;
  return prototype === Object.prototype || prototype === null;
}
