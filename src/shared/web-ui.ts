import type { EventName } from './contract';

/**
 * How the page talks to `mail-settings ui` (src/main/web/), the one description both sides use. The page is
 * served under a secret first path segment, `http://127.0.0.1:<port>/<secret>/`, and every API call is a
 * same-origin POST carrying that secret in `webUiKeyHeader`:
 * - `/api/call/<channel>`: a JSON request in, the channel's Result as JSON out (the same dispatch as IPC);
 * - `/api/events`: the contract's events, one `WebUiEventLine` of JSON per line (NDJSON), as long as it stays open;
 * - `/api/attachments?name=<file name>`: one file's bytes in, `Result<ChosenAttachment[]>` out.
 */
export const webUiKeyHeader = 'X-Mail-Settings-Key';

export const webUiPaths = {
  callPrefix: '/api/call/',
  events: '/api/events',
  attachments: '/api/attachments',
} as const;

/** 32 random bytes, base64url without padding (RFC 4648 §5): 43 characters. */
export const webUiSecretPattern = /^[A-Za-z0-9_-]{43}$/;

/** One line of the event stream. */
export interface WebUiEventLine {
  readonly event: EventName;
  readonly payload: unknown;
}
