import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from './harness/app';
import { clearSendDirectPassword, lookupSendDirectPassword } from './harness/keychain';
import { builtMainEntry, projectRoot } from './harness/paths';

/**
 * The real app: Electron's main process, preload and IPC, with the built renderer. Needs the Electron
 * binary, which `npm install` downloads from GitHub; machines without that download (CI here) skip this
 * file and rely on the browser specs, which run the same renderer against the same dispatcher.
 */

function findElectronBinary(): { readonly path: string } | { readonly missing: string } {
  const packageDir = join(projectRoot, 'node_modules/electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { missing: `node_modules/electron has no path.txt: the Electron binary was not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline)` };
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary ${binary} is missing` };
}

const electron = findElectronBinary();
const hasElectronBinary = 'path' in electron;
if (!hasElectronBinary) {
  console.warn(
    `[e2e] Skipping the Electron spec (e2e/electron.e2e.test.ts): ${electron.missing}. Run \`node node_modules/electron/install.js\` on a machine with internet access to get it.`,
  );
}

describe.skipIf(!hasElectronBinary)('the Mail Settings app in Electron', () => {
  let userHome: string;
  let app: ElectronApplication;
  let window: App;
  // The app's own data folder under that home: the keychain service is the plain product name there.
  const appDataDir = (): [string, NodeJS.ProcessEnv] => [join(userHome, 'Mail Settings'), { ...process.env, XDG_CONFIG_HOME: userHome }];

  beforeAll(async () => {
    if (!('path' in electron)) return;
    if (!existsSync(builtMainEntry)) throw new Error(`${builtMainEntry} is missing: run \`npx electron-vite build\` first.`);
    // Electron's userData follows XDG_CONFIG_HOME on Linux: a fresh one keeps the developer's settings out.
    userHome = await mkdtemp(join(tmpdir(), 'mail-settings-electron-'));
    await clearSendDirectPassword(...appDataDir());
    app = await _electron.launch({
      executablePath: electron.path,
      args: [builtMainEntry, '--no-sandbox'],
      env: { ...process.env, XDG_CONFIG_HOME: userHome },
      timeout: 30_000,
    });
    window = new App(await app.firstWindow(), 'electron');
    await window.sendDirect.waitForLoaded();
  });

  afterAll(async () => {
    await app?.close();
    if (userHome) await clearSendDirectPassword(...appDataDir());
    if (userHome) await rm(userHome, { recursive: true, force: true });
  });

  it('opens one window titled Mail Settings', async () => {
    const titles = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.getTitle()));
    expect(titles).toEqual(['Mail Settings']);
    expect(await window.page.title()).toBe('Mail Settings');
  });

  it('shows the Send Direct section with its fields', async () => {
    expect(await window.isShown('Send direct from Legrand CRM (Recommended)')).toBe(true);
    expect(await window.sendDirect.values()).toMatchObject({ authMethod: 'Normal Password (basic authentication)', port: '587', security: 'STARTTLS' });
  });

  it('saves through the real IPC, with the password in the keychain', async () => {
    await window.sendDirect.fill({
      serverName: 'smtp.office365.com',
      senderName: 'Legrand Sales Team',
      senderAddress: 'sales@legrand-demo.example',
      userName: 'sales@legrand-demo.example',
      password: 'electron-e2e-secret',
    });
    await window.sendDirect.save();
    await window.sendDirect.waitForSaved();
    expect(await lookupSendDirectPassword(...appDataDir())).toBe('electron-e2e-secret');
    expect((await window.sendDirect.password()).placeholder).toContain('stored in the keychain');
  });
});
