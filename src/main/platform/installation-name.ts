import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';

/**
 * An installation as its colleagues call it: the machine's host name and the data directory's name (one
 * machine may run several, `mail-settings serve` beside the app). Shown where the team sees which
 * installation empties a mailbox, and written with each shared setting.
 */
export function installationNameOf(dataDir: string): string {
  return `${hostname()} (${basename(resolve(dataDir))})`;
}
