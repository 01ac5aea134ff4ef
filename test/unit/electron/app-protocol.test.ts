import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { net, protocol, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { serveRenderer } = await import('../../../src/main/electron/app-protocol');
const { rendererFileFor } = await import('../../../src/main/electron/renderer-files');

describe('which renderer file an app:// URL names', () => {
  const dir = '/opt/mail-settings/out/renderer';

  it('maps the app’s own URLs into the renderer folder, with their types', () => {
    expect(rendererFileFor('app://mail-settings/', dir)).toEqual({ path: `${dir}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(rendererFileFor('app://mail-settings/index.html#send-direct', dir)).toEqual({ path: `${dir}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(rendererFileFor('app://mail-settings/assets/index-AB12.js?v=1', dir)).toEqual({ path: `${dir}/assets/index-AB12.js`, contentType: 'text/javascript; charset=utf-8' });
    expect(rendererFileFor('app://mail-settings/assets/index%20x.css', dir)).toEqual({ path: `${dir}/assets/index x.css`, contentType: 'text/css; charset=utf-8' });
  });

  it('never leaves the folder for ../ or %2e%2e (the URL parser folds them at the root, as Chromium does)', () => {
    for (const url of ['app://mail-settings/../../etc/passwd.html', 'app://mail-settings/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd.html', 'app://mail-settings/%2E%2E/secret.js', 'app://mail-settings/.%2e/.%2E/x.css']) {
      const file = rendererFileFor(url, dir);
      expect(file === null || file.path.startsWith(`${dir}/`), url).toBe(true);
    }
  });

  it('refuses what decodes to a separator, a .. segment, a drive, NUL, or does not decode', () => {
    for (const url of [
      'app://mail-settings/..%2f..%2fetc%2fpasswd.html',
      'app://mail-settings/assets/..%2F..%2F..%2Fsecret.js',
      'app://mail-settings/..%5c..%5cwindows%5cwin.ini.html',
      'app://mail-settings/%2fetc%2fpasswd.html',
      'app://mail-settings/C:/Windows/win.ini.html',
      'app://mail-settings/index.html%00.png',
      'app://mail-settings/%E0%A4%A.js',
    ]) {
      expect(rendererFileFor(url, dir), url).toBeNull();
    }
  });

  it('refuses other hosts and schemes, and files of unknown types', () => {
    for (const url of ['app://other-host/index.html', 'app://mail-settings.evil/index.html', 'file:///opt/mail-settings/out/renderer/index.html', 'https://mail-settings/index.html', 'app://mail-settings/notes.txt', 'app://mail-settings/assets', 'not a url']) {
      expect(rendererFileFor(url, dir), url).toBeNull();
    }
  });

  it('stays inside the folder under Windows path rules too', () => {
    const windowsDir = 'C:\\Program Files\\Mail Settings\\resources\\app.asar\\out\\renderer';
    expect(rendererFileFor('app://mail-settings/assets/a.js', windowsDir, path.win32)).toEqual({ path: `${windowsDir}\\assets\\a.js`, contentType: 'text/javascript; charset=utf-8' });
    for (const url of ['app://mail-settings/..%5c..%5cwin.ini.html', 'app://mail-settings/C:%5cWindows%5cwin.ini.html', 'app://mail-settings/%2e%2e/x.js', 'app://mail-settings//server/share/x.js']) {
      const file = rendererFileFor(url, windowsDir, path.win32);
      expect(file === null || file.path.startsWith(`${windowsDir}\\`), url).toBe(true);
    }
    expect(rendererFileFor('app://mail-settings/..%5c..%5cwin.ini.html', windowsDir, path.win32)).toBeNull();
  });
});

describe('the app:// protocol handler', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-renderer-'));
    await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
    await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Mail Settings</title>');
    await writeFile(join(dir, 'renderer', 'assets', 'index.js'), 'console.info(1)');
    await writeFile(join(dir, 'secret.html'), 'outside the renderer');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  beforeEach(() => {
    resetElectronMock();
    // Electron's net.fetch reads file: URLs; here the file system answers the same way.
    net.fetch.mockImplementation(async (url: string) => {
      try {
        return new Response(await readFile(fileURLToPath(url)));
      } catch {
        return new Response(null, { status: 404 });
      }
    });
    serveRenderer(join(dir, 'renderer'));
  });

  const get = async (url: string, method = 'GET') => {
    const handler = protocol.handlers.get('app');
    if (!handler) throw new Error('no handler for app:');
    return handler(new Request(url, { method }));
  };

  it('serves the renderer’s files with their types', async () => {
    const page = await get('app://mail-settings/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Mail Settings</title>');
    const script = await get('app://mail-settings/assets/index.js');
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  it('answers 404 for escapes from the folder and for missing files, and reads nothing outside it', async () => {
    for (const url of [
      'app://mail-settings/%2e%2e/secret.html',
      'app://mail-settings/..%2fsecret.html',
      `app://mail-settings/${encodeURIComponent(join(dir, 'secret.html'))}`,
      `app://mail-settings/${join(dir, 'secret.html')}`,
      'app://other-host/index.html',
      'app://mail-settings/missing.js',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
    for (const [url] of net.fetch.mock.calls) expect(fileURLToPath(url).startsWith(join(dir, 'renderer') + path.sep), url).toBe(true);
  });

  it('answers only GET and HEAD', async () => {
    expect((await get('app://mail-settings/index.html', 'POST')).status).toBe(405);
  });
});
