import type { Dialog, Page } from 'playwright-core';
import { testbed, totpCode, type TestUser } from '../../test/testbed/client';
import { AdminWindow } from './admin-prompt';
import { assertAccessible, focusedElementOf, focusRingColoursOf, type FocusedElement, type FocusRingColours } from './accessibility';
import { InboxDialog } from './inbox-dialog';
import type { AppWindow } from './mail-account-form';
import { saveScreenshot } from './screenshots';
import { SendDirectSection } from './send-direct-section';
import type { SignInBrowser } from './sign-in-browser';

/**
 * The Mail Settings window as a user sees it. Tests speak in these terms (fill, save, wait for "saved",
 * read a field's message); only the harness knows how the page is built. Fields are found by their visible
 * labels, the wording of seed 000, so a renamed label fails the tests just as it would confuse a user.
 *
 * One object per section: `app.sendDirect`, `app.leadInbox`, `app.serviceDeskInbox`. What belongs to the
 * window (navigation, focus, layout, the sign-in pages, screenshots) is on `App` itself.
 */

export class App implements AppWindow {
  private readonly shots = new Map<string, number>();
  readonly screenshots: string[] = [];
  readonly sendDirect: SendDirectSection;
  readonly leadInbox: InboxDialog;
  readonly serviceDeskInbox: InboxDialog;
  /** The administrator's prompt, the title bar's sign-in and the re-authentication notices (issue 14). */
  readonly admin: AdminWindow;

  constructor(
    readonly page: Page,
    /** Prefix of this test's screenshot files. */
    private readonly name: string,
    /** The pages the app opens for sign-ins; absent where nothing signs in (the Electron spec). */
    private readonly signInBrowser?: SignInBrowser,
  ) {
    this.sendDirect = new SendDirectSection(this, '');
    this.leadInbox = new InboxDialog(this, 'lead');
    this.serviceDeskInbox = new InboxDialog(this, 'serviceDesk');
    this.admin = new AdminWindow(page, this);
  }

  // ---- Navigation and states -------------------------------------------------------------------

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }

  async reload(): Promise<void> {
    await this.page.reload();
  }

  /** Some text (the seed's wording) is visible in the window. */
  async isShown(text: string): Promise<boolean> {
    return this.page.getByText(text, { exact: false }).first().isVisible();
  }

  /** What every input of the page holds, as a script in the page could read it. */
  async allInputValues(): Promise<string[]> {
    return this.page.locator('input').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  }

  async pageHtml(): Promise<string> {
    return this.page.content();
  }

  /** The label of the field that has the keyboard focus, or null. */
  async focusedFieldLabel(): Promise<string | null> {
    return this.page.evaluate(() => {
      const focused = document.activeElement;
      const label = focused instanceof HTMLInputElement || focused instanceof HTMLSelectElement ? focused.labels?.[0] : null;
      return label?.textContent?.trim() ?? null;
    });
  }

  /** The accessible name of the element that has the keyboard focus; null when it fell to the page itself. */
  async focusedElementName(): Promise<string | null> {
    return (await this.focusedElement())?.name ?? null;
  }

  /** The element that has the keyboard focus, as announced (see focusedElementOf); null when none has. */
  async focusedElement(): Promise<FocusedElement | null> {
    return focusedElementOf(this.page);
  }

  /**
   * Presses Tab until the element named `name` has the focus, as a keyboard user goes through the window;
   * answers whether it got there before going once round every focusable element.
   */
  async tabTo(name: string): Promise<boolean> {
    await this.page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
    // Twice round, in case a Tab leaves the page for the browser's own controls on the way.
    const stops = await this.page.locator('a[href], button, input, select, textarea, [tabindex]').count();
    for (let pressed = 0; pressed <= 2 * stops + 2; pressed += 1) {
      await this.page.keyboard.press('Tab');
      if ((await this.focusedElementName()) === name) return true;
    }
    return false;
  }

  // ---- Layout at a given window width ------------------------------------------------------------

  /** Resizes the window's content to `width` CSS pixels (the height stays the app window's). */
  async setWindowWidth(width: number): Promise<void> {
    const height = this.page.viewportSize()?.height ?? 820;
    await this.page.setViewportSize({ width, height });
  }

  /** How wide the page is against the window: wider means the user scrolls sideways (WCAG 1.4.10 Reflow). */
  async pageWidth(): Promise<{ readonly content: number; readonly window: number }> {
    return this.page.evaluate(() => ({ content: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
  }

  /** The colours of the focused element's focus indicator (see focusRingColoursOf). */
  async focusRingColours(): Promise<FocusRingColours | null> {
    return focusRingColoursOf(this.page);
  }

  // ---- Sign-in pages -------------------------------------------------------------------------------

  /** The app's sign-in popup: a real page on the identity provider. */
  async waitForSignInPopup(): Promise<Page> {
    return (await this.requireSignInBrowser().next('popup')).page;
  }

  /** A page "the system browser" opened for a sign-in (Google, or "Sign in with your web browser instead"). */
  async waitForBrowserSignInPage(): Promise<Page> {
    return (await this.requireSignInBrowser().next('browser')).page;
  }

  /** Addresses the app asked the system browser to open. */
  get externalUrls(): readonly string[] {
    return this.requireSignInBrowser().externalUrls;
  }

  /**
   * Plays the user on the identity provider's pages, in the given page: email and password, the code from
   * the authenticator app, then Allow (or Deny) on the permissions page if it is asked. Each page is
   * screenshotted.
   */
  async completeIdpSignIn(page: Page, user: Pick<TestUser, 'email' | 'password' | 'totpSecret'>, options: { readonly consent?: 'allow' | 'deny' } = {}): Promise<void> {
    await page.locator('#username').waitFor();
    await this.screenshotOf(page, 'idp-sign-in');
    await page.locator('#username').fill(user.email);
    await page.locator('#password').fill(user.password);
    await page.locator('#sign-in').click();
    await page.locator('#otp').waitFor();
    await this.screenshotOf(page, 'idp-verification-code');
    await page.locator('#otp').fill(totpCode(user));
    await page.locator('#verify').click();
    // The permissions page comes the first time (and always with Google); otherwise the IdP goes straight
    // back to the app, whose popup then closes.
    const issuerOrigin = new URL(testbed().idp.endpoints.issuer).origin;
    const consent = await Promise.race([
      page.locator('#allow').waitFor({ timeout: 15_000 }).then(() => true),
      page.waitForURL((url) => url.origin !== issuerOrigin, { timeout: 15_000 }).then(() => false),
      page.waitForEvent('close', { timeout: 15_000 }).then(() => false),
    ]).catch(() => false);
    if (consent) {
      await this.screenshotOf(page, 'idp-consent');
      await page.locator(options.consent === 'deny' ? '#deny' : '#allow').click();
    }
  }

  /** The sign-in page was closed (by the app, once the sign-in finished). */
  async waitForPageClosed(page: Page): Promise<void> {
    if (!page.isClosed()) await page.waitForEvent('close');
  }

  /**
   * The user comes back to the window (from another app, or from the browser they signed in with): the
   * window gets focus, as the OS tells it.
   */
  async regainFocus(): Promise<void> {
    await this.page.bringToFront();
    await this.page.evaluate(() => window.dispatchEvent(new FocusEvent('focus')));
  }

  // ---- Leaving with unsaved changes ----------------------------------------------------------------------

  /**
   * Reloads the window as a user closing it would, and answers whether the page asked "leave this page?"
   * first. `leave` decides the answer: stay (false) keeps the window and what was typed.
   */
  async reloadAnswering(leave: boolean): Promise<boolean> {
    let onDialog: (dialog: Dialog) => void = () => undefined;
    const question = new Promise<Dialog>((resolve) => {
      onDialog = resolve;
      this.page.once('dialog', onDialog);
    });
    // A reload the user cancels never finishes: it times out quietly.
    const reload = this.page.reload({ timeout: 5_000 }).then(
      () => null,
      () => null,
    );
    const first = await Promise.race([question, reload]);
    this.page.off('dialog', onDialog);
    if (first === null) return false;
    if (leave) {
      await first.accept();
      await reload;
    } else {
      await first.dismiss();
    }
    return first.type() === 'beforeunload';
  }

  // ---- The API, as any script in the window could call it ------------------------------------------

  /** Calls `window.mailSettings[channel](payload)` inside the page and answers what it resolved with. */
  async callApi(channel: string, payload: unknown): Promise<unknown> {
    return this.page.evaluate(
      async ([name, request]) => {
        const api = window.mailSettings as unknown as Record<string, ((request: unknown) => Promise<unknown>) | undefined> | undefined;
        const method = api?.[name];
        if (!method) throw new Error(`window.mailSettings has no method ${name}`);
        return method(request);
      },
      [channel, payload] as const,
    );
  }

  // ---- Screenshots -----------------------------------------------------------------------------

  /**
   * test-results/screenshots/<test>--<state>.png; a state reached twice gets -2, -3... Every state of the
   * window that is screenshotted is also checked with axe: the test fails on any violation.
   */
  async screenshot(state: string): Promise<string> {
    return this.screenshotOf(this.page, state);
  }

  /**
   * A screenshot of another page of the test (a sign-in page), named like this window's. Only the app's
   * own window is held to axe: the identity provider's pages are not ours to fix.
   */
  async screenshotOf(page: Page, state: string): Promise<string> {
    const seen = (this.shots.get(state) ?? 0) + 1;
    this.shots.set(state, seen);
    const path = await saveScreenshot(page, `${this.name}--${state}${seen > 1 ? `-${seen}` : ''}`);
    this.screenshots.push(path);
    if (page === this.page) await assertAccessible(page, `${state} (${path})`);
    return path;
  }

  // ---- Internals -------------------------------------------------------------------------------

  private requireSignInBrowser(): SignInBrowser {
    if (!this.signInBrowser) throw new Error('This window was opened without sign-in pages (E2eBed.open provides them).');
    return this.signInBrowser;
  }
}
