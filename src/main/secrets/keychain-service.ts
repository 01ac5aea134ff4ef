import { resolve } from 'node:path';
import { defaultDataDir } from '../platform/data-dir';
import { keychainService } from './secret-store';

/**
 * The keychain service name for a data directory. The app's own folder uses the plain product name;
 * any other data directory (`--data-dir`, a second profile, a test) gets its own service name, so two
 * profiles never read or overwrite each other's passwords and tokens.
 */
export function keychainServiceFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const folder = resolve(dataDir);
  return folder === resolve(defaultDataDir(env)) ? keychainService : `${keychainService} (${folder})`;
}
