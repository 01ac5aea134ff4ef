import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import { App } from './app';
import { installMailSettingsBridge } from './bridge';
import { clearSendDirectPassword, keyringBusAddress } from './keychain';
import { startRendererServer, type RendererServer } from './renderer-server';
import { RuntimeHost } from './runtime-host';

const chromiumPath = '/usr/bin/chromium';

/** The size of the app's main window (src/main/electron/main-window.ts), so screenshots look like the app. */
const windowSize = { width: 760, height: 820 };

/**
 * One browser and one renderer server per test file; each test opens its own session (fresh data dir,
 * fresh keychain entry, fresh page), so tests never see each other's settings.
 */
export class E2eBed {
  private constructor(
    private readonly browser: Browser,
    private readonly server: RendererServer,
  ) {}

  static async start(): Promise<E2eBed> {
    keyringBusAddress();
    await access(chromiumPath).catch(() => {
      throw new Error(`Debian's Chromium is missing (${chromiumPath}). Install it with: sudo apt-get install --no-install-recommends chromium`);
    });
    const server = await startRendererServer();
    try {
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      return new E2eBed(browser, server);
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  get url(): string {
    return this.server.url;
  }

  get csp(): string {
    return this.server.csp;
  }

  /**
   * Starts the services on a new data dir and opens the window on it. `name` prefixes the screenshots.
   * `secrets` replaces the OS keychain only for tests about a failing keychain.
   */
  async open(name: string, options: { readonly secrets?: SecretStore } = {}): Promise<MailSettingsSession> {
    const dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-e2e-'));
    const host = new RuntimeHost({ dataDir, ...options });
    await host.start();
    const context = await this.browser.newContext({ viewport: windowSize, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-GB' });
    // Fail within seconds when a state never comes (the default is 30 s per step).
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const session = new MailSettingsSession(name, host, context, page, this.server.url);
    await session.attach();
    return session;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }
}

/** One Mail Settings window and the services behind it. */
export class MailSettingsSession {
  readonly app: App;
  /** Uncaught exceptions and console errors of the page (a CSP violation is one): a test expects none. */
  readonly pageErrors: string[] = [];
  private stopForwarding: (() => void) | null = null;

  constructor(
    name: string,
    readonly host: RuntimeHost,
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly url: string,
  ) {
    this.app = new App(page, name);
    page.on('pageerror', (error) => this.pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.pageErrors.push(`console: ${message.text()}`);
    });
  }

  get dataDir(): string {
    return this.host.dataDir;
  }

  /** URLs the app asked the system browser to open. */
  get openedUrls(): readonly string[] {
    return this.host.opener.opened;
  }

  async attach(): Promise<void> {
    this.stopForwarding = await installMailSettingsBridge(this.page, this.host);
    await this.app.goto(this.url);
  }

  /** Quit and reopen: the services stop, new ones start on the same data dir, the window reloads. */
  async restartApp(): Promise<void> {
    await this.host.restart();
    await this.app.reload();
  }

  async close(): Promise<void> {
    this.stopForwarding?.();
    await this.context.close();
    await this.host.stop();
    await clearSendDirectPassword(this.dataDir);
    if (process.env['E2E_KEEP_DATA'] === undefined) await rm(this.dataDir, { recursive: true, force: true });
  }
}
