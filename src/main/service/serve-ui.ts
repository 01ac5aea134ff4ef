import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretRegistry } from '../log/redact';
import type { Runtime } from '../node-runtime';
import type { ServiceLog } from './service-log';

/** What `serve --ui` runs beside the schedule: closed when the service stops. */
export interface ServedUi {
  close(): Promise<void>;
}

/** Where the page's address is kept, readable by the service's user alone. */
export const uiAddressFileName = 'ui-address';

/**
 * `serve --ui`: the browser window of `mail-settings ui`, on the service's own runtime. Its address holds
 * the launch's secret (whoever has it controls the mail settings), and the log is read by more people
 * than the service's user (journalctl's adm and systemd-journal groups): so the address goes to a file
 * in the data directory (mode 0600), the log names that file, and the secret is blanked from every line.
 */
export async function startServeUi(runtime: Runtime, log: ServiceLog, secrets: SecretRegistry): Promise<ServedUi | null> {
  // Loaded only with --ui: the HTTP server is no part of a plain serve.
  const [{ locateBuiltRenderer }, { startWebUiFor }] = await Promise.all([import('../web/renderer-location'), import('../web/web-ui-for-runtime')]);
  const rendererDir = await locateBuiltRenderer();
  if (rendererDir === null) {
    log.error('ui not served: the Mail Settings window is missing from this installation; the schedule goes on', { fix: 'Reinstall Mail Settings (from the sources: npm run build).' });
    return null;
  }
  const ui = await startWebUiFor(runtime, { rendererDir });
  const url = new URL(ui.url);
  secrets.remember(url.pathname.split('/')[1]);
  const addressFile = join(runtime.services.deps.dataDir, uiAddressFileName);
  await writeFile(addressFile, `${ui.url}\n`, { mode: 0o600 });
  log.info('ui serving: open the address in the file in a browser on this computer', { port: url.port, address_file: addressFile });
  return {
    close: async () => {
      await ui.close();
      await rm(addressFile, { force: true });
    },
  };
}
