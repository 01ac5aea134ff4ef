import type { IncomingMessage } from 'node:http';

/** Where the server listens, as the browser names it: `127.0.0.1:<port>` and `http://127.0.0.1:<port>`. */
export interface OwnAddress {
  readonly host: string;
  readonly origin: string;
}

export function ownAddressOf(port: number): OwnAddress {
  return { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };
}

/**
 * The Host header names this server exactly. A page on another name that resolves to 127.0.0.1 (DNS
 * rebinding) reaches the same socket, but its requests say its own name: they are refused, with 421
 * Misdirected Request (RFC 9110 §15.5.20: this server does not answer for that authority).
 */
export function isOwnHost(request: IncomingMessage, own: OwnAddress): boolean {
  return request.headers.host === own.host;
}

/**
 * The call comes from the app's own page. Browsers send Origin with every POST, same-origin ones included
 * (Fetch standard, "append a request `Origin` header"), and a page cannot forge it: another site's page,
 * even one that got the secret, is refused with 403 (cross-site request forgery).
 */
export function isOwnOrigin(request: IncomingMessage, own: OwnAddress): boolean {
  return request.headers.origin === own.origin;
}

/** The body's media type (RFC 9110 §8.3.1: case-insensitive, parameters such as charset ignored). */
export function hasMediaType(request: IncomingMessage, type: string): boolean {
  const value = request.headers['content-type'];
  return value !== undefined && value.split(';')[0]?.trim().toLowerCase() === type;
}

/** Content-Length as a number, or null when absent or not a plain decimal. */
export function declaredLength(request: IncomingMessage): number | null {
  const value = request.headers['content-length'];
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : null;
}
