import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ProviderDefaults } from '../../src/main/oauth/providers/provider-config';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import { localProviders } from '../../test/support/local-runtime';
import { chromiumLaunchOptions, testbed } from '../../test/testbed/client';
import { startWebUi, type WebUi } from '../../src/main/web/web-ui-server';
import { clearAdministratorSecrets, createSignedInAdministrator, defaultAdministrator, signInAgain, type TestAdministrator } from './administrator';
import { App } from './app';
import { requireBuiltRenderer } from './built-renderer';
import { BrowserFilePicker } from './file-picker';
import { clearOAuthSecrets, clearSendDirectPassword, keyringBusAddress, oauthSecretAccounts } from './keychain';
import { RuntimeHost } from './runtime-host';
import { SignInBrowser } from './sign-in-browser';

const chromiumPath = '/usr/bin/chromium';

/**
 * The providers pointed at the test bed's identity provider by configuration only, as an admin would with
 * MAIL_SETTINGS_OFFICE365_AUTHORITY and friends: the real MSAL and google-auth-library run against it.
 */
export function testbedProviders(): ProviderDefaults {
  return localProviders();
}

export interface OpenOptions {
  /** Replaces the OS keychain only for tests about a failing keychain. */
  readonly secrets?: SecretStore;
  /** The test bed's identity provider unless given (a test of "no app registration set up"). */
  readonly providerDefaults?: ProviderDefaults;
  /**
   * The app's sign-in popup (a page of the test browser) unless false: `mail-settings ui` has none, and its
   * sign-ins go to the system browser.
   */
  readonly popup?: boolean;
  /** Runs the inboxes on the app's own schedule, with its watch for new mail (IDLE), as the app does. */
  readonly scheduleInboxes?: boolean;
  /**
   * Creates an administrator (2FA on) and signs it in before the page loads, unless false: saving an inbox
   * and resetting its counter are admin-only (issue 14), and most tests are about something else. Off by
   * default with a custom keychain, whose tests are about the keychain failing (the TOTP secret lives there).
   */
  readonly administrator?: boolean;
}

export interface BedOptions {
  /** Keep every session's data dir until close(), for a scan at the end of the file (dataDirs). */
  readonly keepDataDirs?: boolean;
}

/** The size of the app's main window (src/main/electron/main-window.ts), so screenshots look like the app. */
const windowSize = { width: 760, height: 820 };

/**
 * One browser per test file; each test opens its own session (fresh data dir, fresh keychain entry, fresh
 * page), so tests never see each other's settings.
 */
export class E2eBed {
  /** Every data dir a session of this bed used (kept until close() with `keepDataDirs`). */
  readonly dataDirs: string[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly rendererDir: string,
    private readonly options: BedOptions,
  ) {}

  static async start(options: BedOptions = {}): Promise<E2eBed> {
    keyringBusAddress();
    await access(chromiumPath).catch(() => {
      throw new Error(`Debian's Chromium is missing (${chromiumPath}). Install it with: sudo apt-get install --no-install-recommends chromium`);
    });
    const rendererDir = await requireBuiltRenderer();
    // Trusts exactly the test bed's certificate (its identity provider), like a machine with the
    // organisation's CA installed.
    const browser = await chromium.launch({ ...chromiumLaunchOptions(), executablePath: chromiumPath });
    return new E2eBed(browser, rendererDir, options);
  }

  /**
   * Starts the services on a new data dir and opens the window on it, in a fresh browser context (its own
   * cookies: the identity provider sees a new browser). `name` prefixes the screenshots.
   *
   * The window is `mail-settings ui`'s: its server module runs here, in the test process, on the services
   * of this session (through the RuntimeHost, so a test can still script an answer or restart them).
   */
  async open(name: string, options: OpenOptions = {}): Promise<MailSettingsSession> {
    const dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-e2e-'));
    this.dataDirs.push(dataDir);
    const context = await this.browser.newContext({ viewport: windowSize, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-GB' });
    // Fail within seconds when a state never comes (the default is 30 s per step).
    context.setDefaultTimeout(10_000);
    const signInBrowser = new SignInBrowser(context, [new URL(testbed().idp.endpoints.issuer).origin]);
    const host = new RuntimeHost({
      dataDir,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.popup === false ? {} : { popupOpener: signInBrowser.popupOpener }),
      externalOpener: signInBrowser.externalOpener,
      providerDefaults: options.providerDefaults ?? testbedProviders(),
      signInTimeoutMs: 45_000,
      ...(options.scheduleInboxes === true ? { scheduleInboxes: true } : {}),
    });
    await host.start();
    const administrator =
      (options.administrator ?? options.secrets === undefined) ? await createSignedInAdministrator((channel, payload) => host.dispatch(channel, payload)) : null;
    const webUi = await startWebUi({
      rendererDir: this.rendererDir,
      dispatch: (channel, payload) => host.dispatch(channel, payload),
      subscribe: (listener) => host.onEvent(listener),
      adoptAttachments: (paths) => host.services.attachments.adopt(paths),
    });
    // "Copy sign-in link": the window may write to the clipboard, and the test reads it back.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(webUi.url).origin });
    const page = await context.newPage();
    const session = new MailSettingsSession(name, host, webUi, context, page, signInBrowser, !this.options.keepDataDirs, options.secrets ?? null, administrator);
    await session.attach();
    return session;
  }

  async close(): Promise<void> {
    await this.browser.close();
    if (this.options.keepDataDirs && process.env['E2E_KEEP_DATA'] === undefined) {
      await Promise.all(this.dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    }
  }
}

/** One Mail Settings window and the services behind it. */
export class MailSettingsSession {
  readonly app: App;
  /** Uncaught exceptions and console errors of the page (a CSP violation is one): a test expects none. */
  readonly pageErrors: string[] = [];
  /** The browser's open-file dialog of "Attach files…": the test says what the user picks. */
  readonly filePicker: BrowserFilePicker;

  constructor(
    name: string,
    readonly host: RuntimeHost,
    /** The window's server (`mail-settings ui`'s module) on this session's services. */
    readonly webUi: WebUi,
    private readonly context: BrowserContext,
    readonly page: Page,
    /** The sign-in popups and "system browser" pages the app opened. */
    readonly signInBrowser: SignInBrowser,
    private readonly removeDataDirOnClose: boolean,
    /** A keychain the test gave instead of the per-data-dir one: what was stored there is removed too. */
    private readonly customSecrets: SecretStore | null,
    /** The administrator created before the page loaded (signed in), or null (`administrator: false`). */
    readonly administrator: TestAdministrator | null,
  ) {
    this.app = new App(page, name, signInBrowser);
    this.filePicker = new BrowserFilePicker(page);
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
    await this.app.goto(this.webUi.url);
  }

  /**
   * Quit and reopen: the services stop, new ones start on the same data dir, the window reloads. The
   * administrator's session was the old process's: the default administrator signs in again first.
   */
  async restartApp(): Promise<void> {
    await this.host.restart();
    if (this.administrator) await signInAgain((channel, payload) => this.host.dispatch(channel, payload), this.administrator);
    await this.app.reload();
  }

  /** Administrators a test created through the window, whose keychain items go with the data dir. */
  readonly createdAdministrators: string[] = [];

  async close(): Promise<void> {
    await this.context.close();
    await this.webUi.close();
    await this.host.stop();
    await clearSendDirectPassword(this.dataDir);
    await clearOAuthSecrets(this.dataDir);
    await clearAdministratorSecrets(this.dataDir, [defaultAdministrator.email, ...this.createdAdministrators]);
    if (this.customSecrets) {
      for (const account of ['send-direct/password', ...oauthSecretAccounts]) await this.customSecrets.delete(account).catch(() => false);
    }
    if (this.removeDataDirOnClose && process.env['E2E_KEEP_DATA'] === undefined) await rm(this.dataDir, { recursive: true, force: true });
  }
}
