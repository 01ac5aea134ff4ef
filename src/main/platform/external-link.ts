/** Opens a URL in the user's browser. Electron uses `shell.openExternal`, the CLI the system opener. */
export interface ExternalOpener {
  open(url: URL): Promise<void>;
}

/**
 * The one check every external link passes: an absolute https URL, with no credentials in it. Anything
 * else (file:, javascript:, custom schemes, http) is refused.
 */
export function parseExternalHttpsUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url;
}

/** Hosts on which plain http stays on this computer (RFC 6761 §6.3 localhost, RFC 5735 127.0.0.1, RFC 4291 ::1). */
const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * The one check before a URL is handed to the operating system's browser (Electron's opener and the
 * CLI's): https, or http to this computer's loopback only; no credentials. Returns the URL as the
 * string to hand over, or null when refused.
 *
 * The string is the WHATWG-serialised URL with every character RFC 3986 §2 does not allow raw
 * percent-encoded, including a `%` that does not start an escape. The URL parser leaves `^ | { } \ ``
 * and a lone `%` raw in queries; Windows' ShellExecute, the browser's registered command line and
 * xdg-open then never see a character that means something to them: no space, tab or `"` that could
 * end the argument, nothing a shell would expand.
 */
export function browserUrlOf(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
  if (!allowed) return null;
  // The authority is already canonical (punycode host, bracketed IPv6, no credentials); only the rest
  // may still hold characters outside RFC 3986.
  const fragment = url.hash === '' ? '' : `#${encodeOutsideRfc3986(url.hash.slice(1))}`;
  return `${url.protocol}//${url.host}${encodeOutsideRfc3986(`${url.pathname}${url.search}`)}${fragment}`;
}

/**
 * Percent-encodes what RFC 3986 §3.3-3.5 does not allow in a path, query or fragment: anything but
 * unreserved, sub-delims, ":", "@", "/", "?" and a complete `%XX` escape ("#" only as the one fragment
 * delimiter, which the caller adds).
 */
function encodeOutsideRfc3986(text: string): string {
  return text.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu, (character) => encodeURIComponent(character));
}
