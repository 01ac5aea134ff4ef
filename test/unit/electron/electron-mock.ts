import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * The one Electron mock of the unit tests (Electron cannot load in plain Node). It records what the
 * app's Electron layer asks of Electron, so tests can prove the hardening options and guards.
 * Use: `vi.mock('electron', async () => (await import('./electron-mock')).electronMock)`.
 */
type WindowOpenHandler = (details: { url: string }) => { action: 'deny' | 'allow' };

export class MockSession {
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: (() => boolean) | null = null;
  setPermissionRequestHandler(handler: MockSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: MockSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
}

export class MockWebContents extends EventEmitter {
  windowOpenHandler: WindowOpenHandler | null = null;
  readonly session = new MockSession();
  readonly send = vi.fn();
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  /** Emits a navigation-like event the way Electron does, and says whether the app prevented it. */
  attempt(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', url = '', details: { isMainFrame?: boolean } = {}): boolean {
    let prevented = false;
    this.emit(event, { url, isMainFrame: details.isMainFrame ?? true, preventDefault: () => (prevented = true) });
    return prevented;
  }
  /** Emits `did-navigate` as Electron does once a main-frame navigation committed. */
  navigated(url: string): void {
    this.emit('did-navigate', {}, url, 200, 'OK');
  }
}

export class MockBrowserWindow extends EventEmitter {
  static readonly all: MockBrowserWindow[] = [];
  static fromWebContents(contents: unknown): MockBrowserWindow | null {
    return MockBrowserWindow.all.find((w) => w.webContents === contents) ?? null;
  }
  static getAllWindows(): MockBrowserWindow[] {
    return [...MockBrowserWindow.all];
  }
  readonly webContents = new MockWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  title: string;
  readonly setTitle = vi.fn((title: string) => {
    this.title = title;
  });
  /** Emits `page-title-updated` as Electron does when the page sets <title>; says whether the app prevented it. */
  pageSetsTitle(title: string): boolean {
    let prevented = false;
    this.emit('page-title-updated', { preventDefault: () => (prevented = true) }, title, true);
    if (!prevented) this.title = title;
    return prevented;
  }
  readonly close = vi.fn(() => {
    this.destroyed = true;
    this.emit('closed');
  });
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    this.title = typeof options['title'] === 'string' ? options['title'] : '';
    MockBrowserWindow.all.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
}

type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, IpcHandler>(),
  handle(channel: string, handler: IpcHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

export const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn(async (..._args: unknown[]) => undefined) });

export const contextBridge = { exposeInMainWorld: vi.fn() };

class MockApp extends EventEmitter {
  /** False as in `npm start`; a test of the installed app sets it. */
  isPackaged = false;
  readonly requestSingleInstanceLock = vi.fn(() => true);
  readonly quit = vi.fn();
  readonly setName = vi.fn();
  readonly getPath = vi.fn((_name: string) => '/tmp/mail-settings-unit');
  readonly whenReady = vi.fn(async (): Promise<void> => undefined);
}
export const app = new MockApp();

export class MockNotification extends EventEmitter {
  static readonly shown: MockNotification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    MockNotification.shown.push(this);
  }
}

export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
export const dialog = {
  showErrorBox: vi.fn(),
  /** The answer a user gives to a message box: the index of the button clicked (1 unless a test says). */
  showMessageBoxSync: vi.fn((..._args: unknown[]): number => 1),
  showOpenDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> => ({ canceled: true, filePaths: [] })),
};

type ProtocolHandler = (request: Request) => Promise<Response>;

export const protocol = {
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged: vi.fn(),
  handle(scheme: string, handler: ProtocolHandler): void {
    this.handlers.set(scheme, handler);
  },
};

/** Electron's net.fetch; a test gives it an implementation (Node's fetch cannot read file: URLs). */
export const net = { fetch: vi.fn(async (_url: string): Promise<Response> => new Response(null, { status: 404 })) };

export const electronMock = {
  app,
  BrowserWindow: MockBrowserWindow,
  ipcMain,
  ipcRenderer,
  contextBridge,
  shell,
  dialog,
  protocol,
  net,
  Notification: MockNotification,
};

export function resetElectronMock(): void {
  MockBrowserWindow.all.length = 0;
  MockNotification.shown.length = 0;
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoke.mockClear();
  contextBridge.exposeInMainWorld.mockClear();
  shell.openExternal.mockClear();
  dialog.showErrorBox.mockClear();
  dialog.showMessageBoxSync.mockReset().mockReturnValue(1);
  dialog.showOpenDialog.mockClear();
  protocol.handlers.clear();
  protocol.registerSchemesAsPrivileged.mockClear();
  net.fetch.mockClear();
  app.isPackaged = false;
  app.removeAllListeners();
  app.requestSingleInstanceLock.mockReset().mockReturnValue(true);
  app.quit.mockClear();
  app.whenReady.mockReset().mockResolvedValue(undefined);
}
