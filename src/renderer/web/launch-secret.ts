import { webUiSecretPattern } from '../../shared/web-ui';

/**
 * The secret of this launch of `mail-settings ui`, read from the page's address (`/<secret>/`), or null
 * when the page was not served by it (the app itself, or a file opened by hand).
 *
 * It stays in the address rather than being moved into memory only (history.replaceState): the server
 * serves the page under it alone, so a reload (F5, or leaving with unsaved changes and coming back) would
 * otherwise get a 401. Kept there, it goes nowhere by itself: it is not a cookie, the server forbids
 * Referer headers, and the secret dies with the launch, so an old address in the history opens nothing.
 */
export function launchSecretOf(location: Pick<Location, 'protocol' | 'hostname' | 'pathname'>): string | null {
  if (location.protocol !== 'http:' || location.hostname !== '127.0.0.1') return null;
  const first = location.pathname.split('/')[1] ?? '';
  return webUiSecretPattern.test(first) ? first : null;
}
