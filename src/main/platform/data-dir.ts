import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name; Electron's userData folder is named after it, and the CLI uses the same folder. */
export const productName = 'Mail Settings';

/** The environment variable that chooses the data directory (settings, records, logs) for the CLI. */
export const dataDirEnvVar = 'MAIL_SETTINGS_DATA_DIR';

/** The same folder Electron's `app.getPath('userData')` gives, so the app and the CLI share settings. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), productName);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', productName);
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), productName);
}
