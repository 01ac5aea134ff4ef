import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channels, ipcChannelOf } from '../../../src/shared/contract';
import { ipcMain, MockBrowserWindow, MockWebContents, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { registerIpcHandlers, forwardEventsToWindows, isTrustedSender } = await import('../../../src/main/electron/ipc');
const { appLocation, devServerUrlFor } = await import('../../../src/main/electron/app-url');
const { createEventBus } = await import('../../../src/main/events/event-bus');

const appUrl = 'app://mail-settings/index.html';
const isAppUrl = (url: string) => url === appUrl;

function eventFrom(sender: unknown, frame: { url: string; parent: unknown } | null) {
  return { sender, senderFrame: frame };
}

describe('IPC registration', () => {
  const dispatched: Array<[string, unknown]> = [];
  beforeEach(() => {
    resetElectronMock();
    dispatched.length = 0;
    registerIpcHandlers(async (channel, payload) => {
      dispatched.push([channel, payload]);
      return { ok: true, value: 'handled' };
    }, isAppUrl);
  });

  it('registers exactly one handler per contract channel, under the prefixed name', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(channels.map(ipcChannelOf).sort());
  });

  it('passes a call from our window’s main frame to the dispatcher', async () => {
    const window = new MockBrowserWindow({});
    const handler = ipcMain.handlers.get(ipcChannelOf('getSendDirect'));
    const result = await handler?.(eventFrom(window.webContents, { url: appUrl, parent: null }), {});
    expect(result).toEqual({ ok: true, value: 'handled' });
    expect(dispatched).toEqual([['getSendDirect', {}]]);
  });

  it('refuses calls from a subframe, from another page, from a window that is not ours, or with no frame', async () => {
    const window = new MockBrowserWindow({});
    const handler = ipcMain.handlers.get(ipcChannelOf('saveSendDirect'));
    const refused = [
      eventFrom(window.webContents, { url: appUrl, parent: {} }),
      eventFrom(window.webContents, { url: 'https://evil.example/', parent: null }),
      eventFrom(new MockWebContents(), { url: appUrl, parent: null }),
      eventFrom(window.webContents, null),
    ];
    for (const event of refused) {
      expect(await handler?.(event, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
    expect(dispatched).toEqual([]);
  });

  it('forwards service events to every open window', () => {
    const events = createEventBus();
    const first = new MockBrowserWindow({});
    const closed = new MockBrowserWindow({});
    closed.destroyed = true;
    forwardEventsToWindows(events);
    const view = { settings: null, passwordStored: false, encryptionTurnedOn: false };
    events.emit('sendDirectChanged', view);
    expect(first.webContents.send).toHaveBeenCalledWith(ipcChannelOf('sendDirectChanged'), view);
    expect(closed.webContents.send).not.toHaveBeenCalled();
  });
});

describe('the IPC sender check: scheme and host exactly', () => {
  beforeEach(resetElectronMock);
  const fromMainFrameAt = (url: string) => {
    const window = new MockBrowserWindow({});
    return eventFrom(window.webContents, { url, parent: null }) as never;
  };

  it('in the installed app, trusts app://mail-settings/ only: not file:, not another host, not credentials', () => {
    const { isAppUrl } = appLocation(devServerUrlFor(true, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }));
    expect(isTrustedSender(fromMainFrameAt('app://mail-settings/index.html'), isAppUrl)).toBe(true);
    expect(isTrustedSender(fromMainFrameAt('app://mail-settings/index.html#send-direct'), isAppUrl)).toBe(true);
    for (const url of [
      'file:///opt/mail-settings/out/renderer/index.html',
      'app://other-host/index.html',
      'app://mail-settings.evil.example/index.html',
      'app://user@mail-settings/index.html',
      'app://mail-settings:8080/index.html',
      'http://127.0.0.1:5173/',
      'https://mail-settings/index.html',
      'about:blank',
    ]) {
      expect(isTrustedSender(fromMainFrameAt(url), isAppUrl), url).toBe(false);
    }
  });

  it('while developing, trusts the dev server’s origin only: not another port, not app:', () => {
    const { isAppUrl } = appLocation(devServerUrlFor(false, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }));
    expect(isTrustedSender(fromMainFrameAt('http://127.0.0.1:5173/index.html'), isAppUrl)).toBe(true);
    for (const url of ['http://127.0.0.1:5174/', 'http://localhost:5173/', 'https://127.0.0.1:5173/', 'http://user@127.0.0.1:5173/', 'app://mail-settings/index.html']) {
      expect(isTrustedSender(fromMainFrameAt(url), isAppUrl), url).toBe(false);
    }
  });
});
