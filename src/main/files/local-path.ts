import { posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whose path rules apply: the running system's in the app, either one in the tests. */
export type PathPlatform = 'posix' | 'win32';

export function currentPathPlatform(): PathPlatform {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

/** Why a reference to a file is refused before anything is opened. */
export type PathRefusal = 'network' | 'device' | 'not-found';

export type ImageSourceKind =
  /** Not a file of this computer (https:, cid:, data:, a relative URL): the message keeps it as written. */
  | { readonly kind: 'not-local' }
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'refused'; readonly reason: PathRefusal };

export type LocalPathKind = Exclude<ImageSourceKind, { kind: 'not-local' }>;

/** ASCII whitespace, which the URL parser strips around an attribute's URL (WHATWG URL, "basic URL parser"). */
const asciiWhitespace = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;
/** A Windows drive path, `C:\…` or `C:/…`, which would otherwise look like a URL with the scheme `c:`. */
const drivePath = /^[A-Za-z]:[\\/]/;
/** A URL scheme (RFC 3986 §3.1), at least two letters so that a drive letter is not one. */
const urlScheme = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/**
 * What an `<img src>` (or one `srcset` candidate) refers to: a file of this computer to embed, something
 * to leave alone, or a reference refused outright. The platform is a parameter so that the Windows rules
 * are tested everywhere: a template written on Linux is sent from Windows too.
 */
export function classifyImageSource(source: string, platform: PathPlatform): ImageSourceKind {
  const value = source.replace(asciiWhitespace, '');
  if (drivePath.test(value)) return classifyLocalPath(value, platform);
  const scheme = urlScheme.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'file') return classifyFileUrl(value, platform);
  if (scheme !== undefined) return { kind: 'not-local' };
  if (isNetworkOrDevicePrefix(value)) return classifyLocalPath(value, platform);
  const paths = platform === 'win32' ? win32 : posix;
  return paths.isAbsolute(value) ? classifyLocalPath(value, platform) : { kind: 'not-local' };
}

/**
 * A path the user gave as a file (the CLI's --attach, a path from the open-file dialog, an embedded image):
 * local, or refused. Network paths are refused on every platform, whatever its own rules say: on Windows,
 * merely opening `\\host\share\x.png` or `//host/x.png` makes an SMB connection that signs in to that host
 * with the user's Windows credentials (NTLM), and the same template is used on every system.
 */
export function classifyLocalPath(path: string, platform: PathPlatform): LocalPathKind {
  if (path === '' || path.includes('\0')) return { kind: 'refused', reason: 'not-found' };
  if (isNetworkOrDevicePrefix(path)) {
    // UNC paths are MS-DTYP §2.2.57. Of the Win32 namespaces (Microsoft's "Naming Files, Paths, and
    // Namespaces"), `\\?\UNC\host\share` is a network path; `\\.\` and the other `\\?\` names are devices
    // and volumes, never a plain file.
    const rest = path.slice(2);
    if (/^[?.][\\/]/.test(rest)) return { kind: 'refused', reason: /^\?[\\/]UNC[\\/]/i.test(rest) ? 'network' : 'device' };
    return { kind: 'refused', reason: 'network' };
  }
  const paths = platform === 'win32' ? win32 : posix;
  // A relative path (the CLI's --attach) is relative to the working directory, as in any command.
  return { kind: 'local', path: paths.isAbsolute(path) ? path : paths.resolve(path) };
}

/** Two slashes or backslashes in any mix: a UNC path, a `//host` reference, or a Win32 namespace path. */
function isNetworkOrDevicePrefix(value: string): boolean {
  return /^[\\/]{2}/.test(value);
}

/**
 * `file:` URLs (RFC 8089): only with no host or `localhost` (§2), then the path under the platform's rules.
 * `file://host/share/x.png` is the network path `\\host\share\x.png` on Windows.
 */
function classifyFileUrl(value: string, platform: PathPlatform): ImageSourceKind {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { kind: 'refused', reason: 'not-found' };
  }
  if (url.host !== '' && url.host.toLowerCase() !== 'localhost') return { kind: 'refused', reason: 'network' };
  // `file:////host/share` carries a UNC path in its path (RFC 8089 Appendix E.3.2), `%5C` a backslash.
  const uncInPath = url.pathname.replace(/%5c/gi, '\\');
  if (isNetworkOrDevicePrefix(uncInPath)) return classifyLocalPath(uncInPath, platform);
  let path: string;
  try {
    path = fileURLToPath(url, { windows: platform === 'win32' });
  } catch {
    // Encoded separators, or a POSIX path given to Windows: no file of this computer.
    return { kind: 'refused', reason: 'not-found' };
  }
  return classifyLocalPath(path, platform);
}
