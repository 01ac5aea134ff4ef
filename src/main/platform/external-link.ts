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
