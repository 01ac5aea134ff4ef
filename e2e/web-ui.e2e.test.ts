import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, chromiumLaunchOptions, testbed, type TestUser } from '../test/testbed/client';
import { webUiKeyHeader } from '../src/shared/web-ui';
import { App } from './harness/app';
import { filesContaining } from './harness/files';
import { clearSendDirectPassword, keyringBusAddress } from './harness/keychain';
import type { SendDirectValues } from './harness/send-direct-section';
import { startUiCommand, type UiCommand } from './harness/ui-command';
import { useMailSettingsWindows } from './harness/windows';

/**
 * `mail-settings ui --no-open --json`, the built CLI in its own process, driven in Chromium as a user's
 * browser: the page opens only with the launch's secret, the Send Direct window then works as in the app,
 * and requests naming another host (DNS rebinding) or coming from another origin are refused.
 */

let ui: UiCommand;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;
let user: TestUser;

/** A page of the browser whose console errors and uncaught exceptions are collected (a test expects none). */
async function watchedPage(): Promise<{ readonly page: Page; readonly errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { page, errors };
}

function settings(): SendDirectValues {
  return {
    serverName: '127.0.0.1',
    senderName: 'Legrand Sales Team',
    senderAddress: user.email,
    userName: user.email,
    authMethod: 'Normal Password (basic authentication)',
    port: String(testbed().smtp.ports.starttls),
    security: 'STARTTLS',
  };
}

/**
 * Opens `address` in the page; answers the status and length of the server's answer. Chromium shows its own
 * error page for an error status with an empty body, and reports that navigation as failed.
 */
async function navigate(page: Page, address: string): Promise<{ readonly status: number; readonly contentLength: string | undefined }> {
  const answered = page.waitForResponse((response) => response.url() === address);
  await page.goto(address).catch(() => null);
  const response = await answered;
  return { status: response.status(), contentLength: response.headers()['content-length'] };
}

/** The text the page shows; empty while it is still changing. */
function shownText(page: Page): Promise<string> {
  return page.locator('body').innerText({ timeout: 1_000 }).catch(() => '');
}

/** A request as any local program can send it, with the headers a browser would not let a page forge. */
function rawCall(headers: Readonly<Record<string, string>>): Promise<number> {
  const url = new URL(ui.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: Number(url.port), method: 'POST', path: '/api/call/getSendDirect', headers: { 'Content-Type': 'application/json', ...headers } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(JSON.stringify({ request: {} }));
  });
}

describe('mail-settings ui in the browser', () => {
  beforeAll(async () => {
    keyringBusAddress();
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-e2e-web-ui-'));
    user = await addUser(`web-ui-${randomUUID().slice(0, 8)}@example.test`);
    ui = await startUiCommand(['--no-open', '--json', '--data-dir', dataDir]);
    const launch = chromiumLaunchOptions();
    // evil.example resolves to this computer, as a DNS-rebinding attacker's name would.
    browser = await chromium.launch({ ...launch, args: [...launch.args, '--host-resolver-rules=MAP evil.example 127.0.0.1'] });
    context = await browser.newContext({ viewport: { width: 760, height: 820 }, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-GB' });
    context.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    const exit = await ui?.stop();
    if (dataDir) {
      await clearSendDirectPassword(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }
    // Stopped as a service manager stops it: a clean exit.
    expect(exit).toMatchObject({ code: 0 });
  });

  it('answers 401 and shows nothing without the launch’s secret', async () => {
    const { page } = await watchedPage();
    const { origin } = new URL(ui.url);
    for (const address of [`${origin}/`, `${origin}/index.html`, `${origin}/${'A'.repeat(43)}/`]) {
      expect(await navigate(page, address)).toEqual({ status: 401, contentLength: '0' });
      // What the user sees is Chromium's own page for an error without a body: nothing of Mail Settings.
      await expect.poll(() => shownText(page)).toContain('HTTP ERROR 401');
      expect(await shownText(page)).not.toContain('Mail Settings');
    }
    await page.close();
  });

  it('with the secret, is the Mail Settings window: Send Direct loads, Test Connection signs in to smtp-server, and a save reaches every open window', async () => {
    const { page, errors } = await watchedPage();
    const app = new App(page, 'web-ui');
    await app.goto(ui.url);
    await app.sendDirect.waitForLoaded();
    await app.screenshot('send-direct');
    // A second tab on the same launch, to hear of the save through the event stream.
    const other = await watchedPage();
    const otherApp = new App(other.page, 'web-ui-other-tab');
    await otherApp.goto(ui.url);
    await otherApp.sendDirect.waitForLoaded();

    await app.sendDirect.fill({ ...settings(), password: user.password });
    await app.sendDirect.testConnection();
    expect(await app.sendDirect.waitForConnectionResult()).toEqual({ ok: true, message: 'We were able to connect to your mail server and sign in.' });
    await app.screenshot('test-connection-succeeded');
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();
    await expect.poll(async () => (await otherApp.sendDirect.values()).senderAddress).toBe(user.email);

    // A reload finds the page again (the secret stays in its address) and shows what was saved.
    await app.reload();
    await app.sendDirect.waitForLoaded();
    expect(await app.sendDirect.values()).toMatchObject({ serverName: '127.0.0.1', senderAddress: user.email });
    expect((await app.sendDirect.password()).placeholder).toContain('stored in the keychain');
    await page.close();
    await other.page.close();
    expect([...errors, ...other.errors]).toEqual([]);
  });

  it('refuses a page on another host name that resolves here (DNS rebinding), even with the secret', async () => {
    const { page } = await watchedPage();
    const { port, pathname } = new URL(ui.url);
    expect(await navigate(page, `http://evil.example:${port}${pathname}`)).toEqual({ status: 421, contentLength: '0' });
    await expect.poll(() => shownText(page)).toContain('HTTP ERROR 421');
    expect(await shownText(page)).not.toContain('Mail Settings');
    await page.close();
  });

  it('refuses API calls naming another host or coming from another origin, even with the secret', async () => {
    const { port, origin, pathname } = new URL(ui.url);
    const key = pathname.split('/')[1] ?? '';
    // The same call with the page's own headers is answered: the refusals below are about Host and Origin.
    expect(await rawCall({ [webUiKeyHeader]: key, Origin: origin })).toBe(200);
    expect(await rawCall({ [webUiKeyHeader]: key, Origin: origin, Host: `evil.example:${port}` })).toBe(421);
    expect(await rawCall({ [webUiKeyHeader]: key, Origin: 'http://evil.example' })).toBe(403);
    expect(await rawCall({ Origin: origin })).toBe(401);
  });

  it('keeps the secret out of every file of the data directory', async () => {
    const key = new URL(ui.url).pathname.split('/')[1] ?? '';
    expect(key).toHaveLength(43);
    expect(await filesContaining(dataDir, key)).toEqual([]);
  });
});

describe('mail-settings ui: Office 365 sign-in without a popup', () => {
  // The same server module in the test process, on services started as the command starts them: no popup.
  const windows = useMailSettingsWindows();

  it('signs in in the system browser, with the redirect to this computer, and the window says so', async () => {
    const signingIn = await addUser(`web-ui-o365-${randomUUID().slice(0, 8)}@example.test`);
    const { app } = await windows.open('web-ui-office365', { popup: false });
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.clickSignIn();

    const browserPage = await app.waitForBrowserSignInPage();
    await expect.poll(() => app.sendDirect.waitForWaitingForSignIn()).toBe('Finish signing in in your web browser, then come back to this window.');
    expect(await app.sendDirect.isWebBrowserInsteadShown()).toBe(false);
    await app.screenshot('waiting-for-browser-sign-in');
    const redirect = new URL(new URL(app.externalUrls[0] ?? '').searchParams.get('redirect_uri') ?? '');
    expect(['127.0.0.1', 'localhost']).toContain(redirect.hostname);

    await app.completeIdpSignIn(browserPage, signingIn);
    expect(await app.sendDirect.waitForSignedIn(signingIn.email)).toBe('Last refreshed just now');
  });
});
