import type { BrowserContext, Page } from 'playwright-core';
import type { SignInWindowOpener } from '../../src/main/oauth/sign-in-window';
import type { ExternalOpener } from '../../src/main/platform/external-link';

/** A page the app opened for a sign-in: its popup window, or "the system browser". */
export interface SignInPage {
  readonly page: Page;
  readonly via: 'popup' | 'browser';
  /** The address the app asked to open. */
  readonly url: string;
}

/** The size of the app's sign-in popup (src/main/electron/sign-in-popup.ts). */
const popupSize = { width: 520, height: 700 };

/**
 * Real browser pages for the app's sign-ins, in the same browser context as the Mail Settings window:
 * - the popup opener (Electron's sign-in BrowserWindow) is a new page; closing the page is the user
 *   closing the popup, and the app closing its popup closes the page;
 * - the external opener (the user's system browser: Google always, and "Sign in with your web browser
 *   instead") opens sign-in addresses of the identity provider in a new page too. Every address it is
 *   given is recorded; others (help links on the internet) are only recorded, never fetched.
 */
export class SignInBrowser {
  readonly pages: SignInPage[] = [];
  readonly externalUrls: string[] = [];
  private readonly taken = new Set<SignInPage>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly context: BrowserContext,
    /** Origins whose pages are opened for real: the identity provider's. */
    private readonly signInOrigins: readonly string[],
  ) {}

  readonly popupOpener: SignInWindowOpener = {
    open: async (url) => {
      const page = await this.openPage(url, 'popup');
      const closed = new Promise<void>((resolve) => page.once('close', () => resolve()));
      return {
        closed,
        close: () => {
          if (!page.isClosed()) void page.close().catch(() => undefined);
        },
      };
    },
  };

  readonly externalOpener: ExternalOpener = {
    open: async (url) => {
      this.externalUrls.push(url.href);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && this.signInOrigins.includes(url.origin)) {
        await this.openPage(url.href, 'browser');
      }
    },
  };

  /** The next sign-in page opened `via` that no test took yet (waits for it if need be). */
  async next(via: SignInPage['via'], timeoutMs = 10_000): Promise<SignInPage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.pages.find((entry) => entry.via === via && !this.taken.has(entry));
      if (found) {
        this.taken.add(found);
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No sign-in page was opened via ${via} within ${timeoutMs} ms (opened so far: ${this.pages.map((p) => `${p.via} ${p.url}`).join(', ') || 'none'}).`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.pages.map(({ page }) => page.close().catch(() => undefined)));
  }

  private async openPage(url: string, via: SignInPage['via']): Promise<Page> {
    const page = await this.context.newPage();
    if (via === 'popup') await page.setViewportSize(popupSize);
    this.pages.push({ page, via, url });
    for (const wake of [...this.waiters]) wake();
    // As a window does: it shows the page while the app goes on; a page closed meanwhile is no failure.
    void page.goto(url).catch(() => undefined);
    return page;
  }
}
