import type { Dialog, Locator, Page } from 'playwright-core';
import { testbed, totpCode, type TestUser } from '../../test/testbed/client';
import { assertAccessible, focusedElementOf, focusRingColoursOf, type FocusedElement, type FocusRingColours } from './accessibility';
import { saveScreenshot } from './screenshots';
import type { SignInBrowser } from './sign-in-browser';

/**
 * The Mail Settings window as a user sees it. Tests speak in these terms (fill, save, wait for "saved",
 * read a field's message); only this file knows how the page is built. Fields are found by their visible
 * labels, the wording of seed 000, so a renamed label fails the tests just as it would confuse a user.
 */

export interface SendDirectValues {
  readonly serverName: string;
  readonly senderName: string;
  readonly senderAddress: string;
  readonly userName: string;
  /** The visible text of the chosen option, e.g. "Normal Password (basic authentication)". */
  readonly authMethod: string;
  readonly port: string;
  /** The visible text of the chosen SSL option: "None", "STARTTLS" or "SSL/TLS". */
  readonly security: string;
}

export type SendDirectFieldName = keyof SendDirectValues | 'password';

const labels: Readonly<Record<SendDirectFieldName, string>> = {
  serverName: 'Server Name (or IP address)',
  senderName: 'Sender Name',
  senderAddress: 'Sender Email Address',
  userName: 'User Name',
  password: 'Password',
  authMethod: 'Authentication method',
  port: 'Outgoing server port number',
  security: 'SSL',
};

const insecureAuthLabel = 'Allow sending my password without encryption';

const textFields = ['serverName', 'senderName', 'senderAddress', 'userName', 'port'] as const;

export interface ShownError {
  readonly message: string;
  readonly fix: string | null;
}

export interface PasswordFieldView {
  readonly visible: boolean;
  /** What the input holds: must stay empty whenever a password is stored. */
  readonly value: string;
  readonly placeholder: string;
  readonly editable: boolean;
  /** The line under the field (what will happen to the password on Save), if any. */
  readonly hint: string | null;
}

/** What Test Connection showed: the green box, or the red one with its fix (and a certificate to check). */
export type ConnectionResult =
  | { readonly ok: true; readonly message: string }
  | { readonly ok: false; readonly message: string; readonly fix: string | null; readonly certificate: Readonly<Record<string, string>> | null };

/** What the "Send a test email" dialog showed after Send: every line of its green or red box. */
export type TestEmailResult = { readonly ok: true; readonly lines: readonly string[] } | { readonly ok: false; readonly message: string; readonly fix: string | null };

export interface TestEmailValues {
  readonly to?: string;
  readonly subject?: string;
  readonly html?: string;
  readonly activityNote?: boolean;
}

/** A text's size in its box, in CSS pixels: it spills out when the text is the larger. */
export interface TextFit {
  readonly textWidth: number;
  readonly boxWidth: number;
  readonly textHeight: number;
  readonly boxHeight: number;
}

/** The labels of "Provider settings" (Office 365, then Google). */
export type ProviderSettingLabel = 'Application (client) ID' | 'Tenant' | 'Client ID' | 'Client secret';

export class App {
  private readonly shots = new Map<string, number>();
  readonly screenshots: string[] = [];

  constructor(
    readonly page: Page,
    /** Prefix of this test's screenshot files. */
    private readonly name: string,
    /** The pages the app opens for sign-ins; absent where nothing signs in (the Electron spec). */
    private readonly signInBrowser?: SignInBrowser,
  ) {}

  // ---- Navigation and states -------------------------------------------------------------------

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }

  async reload(): Promise<void> {
    await this.page.reload();
  }

  /** The Send Direct form is on screen with the values main answered. */
  async waitForSendDirectLoaded(): Promise<void> {
    await this.section().getByRole('button', { name: 'Save', exact: true }).waitFor();
    await this.screenshot('loaded');
  }

  /** The section could not load; answers the message and the fix shown. */
  async waitForLoadFailed(): Promise<ShownError> {
    const alert = this.section().getByRole('alert');
    await alert.waitFor();
    await this.screenshot('load-failed');
    return this.errorIn(alert);
  }

  async retryLoad(): Promise<void> {
    await this.section().getByRole('button', { name: 'Try again' }).click();
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

  /** The labels of the Send Direct fields that say they are required (aria-required or required). */
  async requiredFields(): Promise<string[]> {
    const names: string[] = [];
    for (const field of Object.keys(labels) as SendDirectFieldName[]) {
      const control = this.control(field);
      if ((await control.count()) === 0) continue;
      const required = (await control.getAttribute('aria-required')) === 'true' || (await control.getAttribute('required')) !== null;
      if (required) names.push(labels[field]);
    }
    return names;
  }

  /** The labels of the Send Direct fields that show a required-field asterisk beside them. */
  async fieldsMarkedRequired(): Promise<string[]> {
    return this.section().locator('.field__label').evaluateAll((rows) =>
      rows
        .filter((row) => [...row.querySelectorAll('.field__required')].some((mark) => mark.textContent?.trim() === '*' && (mark as HTMLElement).offsetWidth > 0))
        .map((row) => (row.querySelector('label')?.textContent ?? '').trim()),
    );
  }

  // ---- Layout at a given window width ------------------------------------------------------------

  /** Resizes the window's content to `width` CSS pixels (the height stays the app window's). */
  async setWindowWidth(width: number): Promise<void> {
    const height = this.page.viewportSize()?.height ?? 820;
    await this.page.setViewportSize({ width, height });
  }

  /** How much room a button's text takes (scroll size) against the room the button gives it (client size). */
  async buttonTextFit(name: string): Promise<TextFit> {
    return this.section()
      .getByRole('button', { name, exact: true })
      .evaluate((button) => ({ textWidth: button.scrollWidth, boxWidth: button.clientWidth, textHeight: button.scrollHeight, boxHeight: button.clientHeight }));
  }

  /** The width of the chosen Authentication method's text against the room the closed dropdown shows it in. */
  async authMethodTextFit(): Promise<{ readonly text: string; readonly textWidth: number; readonly room: number }> {
    return this.control('authMethod').evaluate((element) => {
      const select = element as HTMLSelectElement;
      const style = getComputedStyle(select);
      const context = document.createElement('canvas').getContext('2d');
      if (context === null) throw new Error('No 2D canvas to measure text with.');
      context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = select.selectedOptions[0]?.textContent ?? '';
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text, textWidth: Math.ceil(context.measureText(text).width), room: Math.floor(room) };
    });
  }

  /**
   * The right edge of the SSL choice against the right edge of what can be seen of it (the section, which
   * clips what overflows it, or the window, whichever is narrower), and the options whose text does not fit
   * in the part of the control they have.
   */
  async securityChoiceFit(): Promise<{ readonly right: number; readonly visibleRight: number; readonly cutOptions: readonly string[] }> {
    const visibleRight = await this.section().evaluate((section) => Math.min(section.getBoundingClientRect().right - section.clientLeft, document.documentElement.clientWidth));
    return this.control('security').evaluate((group, visible) => {
      const groupBox = group.getBoundingClientRect();
      const cutOptions = [...group.querySelectorAll('label')]
        .filter((option) => {
          const text = option.querySelector('span');
          if (text === null) return true;
          const box = option.getBoundingClientRect();
          const textBox = text.getBoundingClientRect();
          const textFits = text.scrollWidth <= text.clientWidth && textBox.left >= box.left - 0.5 && textBox.right <= box.right + 0.5;
          return !textFits || box.right > Math.min(groupBox.right, visible) + 0.5;
        })
        .map((option) => (option.textContent ?? '').trim());
      return { right: groupBox.right, visibleRight: visible, cutOptions };
    }, visibleRight);
  }

  /** Whether the save bar's status line ("You have unsaved changes.") runs into its buttons. */
  async saveBarOverlaps(): Promise<boolean> {
    return this.section()
      .locator('.save-bar')
      .evaluate((bar) => {
        const status = bar.querySelector('.save-bar__status');
        const buttons = bar.querySelector('.save-bar__buttons');
        if (status === null || buttons === null) return false;
        // The text itself, which can overflow its box.
        const range = document.createRange();
        range.selectNodeContents(status);
        const text = range.getBoundingClientRect();
        const box = buttons.getBoundingClientRect();
        const apart = text.width === 0 || text.right <= box.left || box.right <= text.left || text.bottom <= box.top || box.bottom <= text.top;
        return !apart;
      });
  }

  /** How wide the page is against the window: wider means the user scrolls sideways (WCAG 1.4.10 Reflow). */
  async pageWidth(): Promise<{ readonly content: number; readonly window: number }> {
    return this.page.evaluate(() => ({ content: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
  }

  /** The colours of the focused element's focus indicator (see focusRingColoursOf). */
  async focusRingColours(): Promise<FocusRingColours | null> {
    return focusRingColoursOf(this.page);
  }

  // ---- The Send Direct fields ------------------------------------------------------------------

  async fillSendDirect(values: Partial<SendDirectValues> & { readonly password?: string }): Promise<void> {
    for (const field of textFields) {
      const value = values[field];
      if (value !== undefined) await this.control(field).fill(value);
    }
    if (values.authMethod !== undefined) await this.chooseAuthMethod(values.authMethod);
    if (values.security !== undefined) await this.chooseSecurity(values.security);
    if (values.password !== undefined) await this.control('password').fill(values.password);
  }

  /** Types into one field like a user: replaces its text, then leaves it (which checks it). */
  async typeInto(field: (typeof textFields)[number] | 'password', value: string): Promise<void> {
    await this.control(field).fill(value);
    await this.leaveField(field);
  }

  async leaveField(field: SendDirectFieldName): Promise<void> {
    await this.control(field).focus();
    await this.page.keyboard.press('Tab');
  }

  async chooseAuthMethod(optionText: string): Promise<void> {
    await this.control('authMethod').selectOption({ label: optionText });
  }

  async chooseSecurity(optionText: string): Promise<void> {
    await this.control('security').getByRole('radio', { name: optionText, exact: true }).check();
  }

  /** Every field as shown on screen. */
  async sendDirectValues(): Promise<SendDirectValues> {
    const text = (field: (typeof textFields)[number]) => this.control(field).inputValue();
    const checked = this.control('security').getByRole('radio', { checked: true });
    return {
      serverName: await text('serverName'),
      senderName: await text('senderName'),
      senderAddress: await text('senderAddress'),
      userName: await text('userName'),
      authMethod: (await this.control('authMethod').locator('option:checked').textContent()) ?? '',
      port: await text('port'),
      security: (await checked.count()) === 1 ? ((await checked.locator('xpath=..').textContent()) ?? '') : '',
    };
  }

  async password(): Promise<PasswordFieldView> {
    const input = this.control('password');
    if ((await input.count()) === 0 || !(await input.isVisible())) {
      return { visible: false, value: '', placeholder: '', editable: false, hint: null };
    }
    const hintId = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-hint'));
    return {
      visible: true,
      value: await input.inputValue(),
      placeholder: (await input.getAttribute('placeholder')) ?? '',
      editable: await input.isEditable(),
      hint: hintId === undefined ? null : await this.page.locator(`[id="${hintId}"]`).textContent(),
    };
  }

  /** "Allow sending my password without encryption": null while it is not offered (SSL is not None). */
  async insecureAuthAllowance(): Promise<{ readonly checked: boolean; readonly hint: string | null } | null> {
    const box = this.page.getByRole('checkbox', { name: insecureAuthLabel, exact: true });
    if ((await box.count()) === 0) return null;
    const hintId = ((await box.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-hint'));
    return { checked: await box.isChecked(), hint: hintId === undefined ? null : await this.page.locator(`[id="${hintId}"]`).textContent() };
  }

  async setInsecureAuthAllowed(allowed: boolean): Promise<void> {
    await this.page.getByRole('checkbox', { name: insecureAuthLabel, exact: true }).setChecked(allowed);
  }

  /** The note at the top of the form after Mail Settings turned encryption on for the user, or null. */
  async encryptionNotice(): Promise<string | null> {
    const note = this.page.getByRole('note');
    return (await note.count()) === 0 ? null : ((await note.textContent()) ?? '').trim();
  }

  /** The message shown under a field (bound to it with aria-describedby), or null when it has none. */
  async fieldError(field: SendDirectFieldName): Promise<string | null> {
    return this.errorOf(this.control(field));
  }

  async waitForFieldError(field: SendDirectFieldName): Promise<string> {
    const control = this.control(field);
    await this.page.waitForFunction(
      (element) => element?.getAttribute('aria-invalid') === 'true',
      await control.elementHandle(),
    );
    await this.screenshot(`error-${field}`);
    return (await this.errorOf(control)) ?? '';
  }

  // ---- Saving ------------------------------------------------------------------------------------

  async save(): Promise<void> {
    await this.section().getByRole('button', { name: 'Save', exact: true }).click();
  }

  async cancel(): Promise<void> {
    await this.section().getByRole('button', { name: 'Cancel', exact: true }).click();
  }

  async isCancelEnabled(): Promise<boolean> {
    return this.section().getByRole('button', { name: 'Cancel', exact: true }).isEnabled();
  }

  /** "Settings saved." is shown; answers the screenshot of that state. */
  async waitForSaved(): Promise<string> {
    await this.status().getByText('Settings saved.', { exact: true }).waitFor();
    return this.screenshot('saved');
  }

  /** Save was refused before anything was sent; answers the summary line. */
  async waitForNothingSaved(): Promise<string> {
    const line = this.status().getByText('Nothing was saved.', { exact: false });
    await line.waitFor();
    await this.screenshot('nothing-saved');
    return (await line.textContent()) ?? '';
  }

  /** Main refused or failed the save; answers what the user is told, and what to do. */
  async waitForSaveFailed(): Promise<ShownError> {
    const block = this.status().locator('.status--block');
    await block.waitFor();
    await this.screenshot('save-failed');
    return this.errorIn(block);
  }

  async statusText(): Promise<string> {
    return ((await this.status().textContent()) ?? '').trim();
  }

  // ---- Change Password dialog ------------------------------------------------------------------

  async removePassword(): Promise<void> {
    await this.section().getByRole('button', { name: 'Remove', exact: true }).click();
  }

  /** Undo beside the stored password: back to keeping it. */
  async undoPasswordChange(): Promise<void> {
    await this.section().getByRole('button', { name: 'Undo', exact: true }).click();
  }

  async openChangePassword(): Promise<void> {
    await this.section().getByRole('button', { name: 'Change password' }).click();
    await this.changePasswordDialog().waitFor();
    await this.screenshot('change-password');
  }

  async enterNewPassword(newPassword: string, confirmPassword: string): Promise<void> {
    const dialog = this.changePasswordDialog();
    await dialog.getByLabel('New Password', { exact: true }).fill(newPassword);
    await dialog.getByLabel('Confirm Password', { exact: true }).fill(confirmPassword);
  }

  async confirmNewPassword(): Promise<void> {
    await this.changePasswordDialog().getByRole('button', { name: 'OK', exact: true }).click();
  }

  async cancelChangePassword(): Promise<void> {
    await this.changePasswordDialog().getByRole('button', { name: 'Cancel', exact: true }).click();
  }

  async isChangePasswordOpen(): Promise<boolean> {
    return this.changePasswordDialog().isVisible();
  }

  async waitForChangePasswordClosed(): Promise<void> {
    await this.changePasswordDialog().waitFor({ state: 'detached' });
  }

  /** The message under "New Password" or "Confirm Password" in the dialog. */
  async changePasswordError(field: 'New Password' | 'Confirm Password'): Promise<string | null> {
    const control = this.changePasswordDialog().getByLabel(field, { exact: true });
    const message = await this.errorOf(control);
    if (message !== null) await this.screenshot(`change-password-error`);
    return message;
  }

  // ---- Modern Authentication -----------------------------------------------------------------------

  /** Chooses "Modern Authentication (OAuth 2.0) - Office 365" (or - Google) as the Authentication method. */
  async chooseModernAuth(provider: 'Office 365' | 'Google'): Promise<void> {
    await this.chooseAuthMethod(`Modern Authentication (OAuth 2.0) - ${provider}`);
    await this.modernAuth().waitFor();
  }

  /** Clicks "Sign in using Modern Authentication…". */
  async clickSignIn(): Promise<void> {
    await this.modernAuth().getByRole('button', { name: 'Sign in using Modern Authentication…', exact: true }).click();
  }

  async isSignInButtonShown(): Promise<boolean> {
    return this.modernAuth().getByRole('button', { name: 'Sign in using Modern Authentication…', exact: true }).isVisible();
  }

  /** "Waiting for you to sign in…" with its Cancel; answers the line under it. */
  async waitForWaitingForSignIn(): Promise<string> {
    await this.modernAuth().getByText('Waiting for you to sign in…', { exact: true }).waitFor();
    await this.modernAuth().getByRole('button', { name: 'Cancel', exact: true }).waitFor();
    await this.screenshot('waiting-for-sign-in');
    return ((await this.modernAuth().locator('.sign-in__when').textContent()) ?? '').trim();
  }

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

  /** The green tick with "Signed in as <username>"; answers the "Last refreshed …" line. */
  async waitForSignedIn(username: string): Promise<string> {
    const group = this.modernAuth();
    await group.getByText(`Signed in as ${username}`, { exact: true }).waitFor();
    await this.screenshot('signed-in');
    return ((await group.locator('.sign-in__when').first().textContent()) ?? '').trim();
  }

  async signedInAs(): Promise<string | null> {
    const line = this.modernAuth().locator('.sign-in__state--ok .sign-in__who');
    return (await line.count()) === 1 ? ((await line.textContent()) ?? '').trim() : null;
  }

  /** The red cross: why the mailbox needs to sign in again, and what to do. */
  async waitForNeedsReauth(): Promise<ShownError> {
    const state = this.modernAuth().locator('.sign-in__state--failed');
    await state.waitFor();
    await this.modernAuth().getByRole('button', { name: 'Re-authenticate Now', exact: true }).waitFor();
    await this.screenshot('needs-reauth');
    return this.errorIn(state);
  }

  async reauthenticate(): Promise<void> {
    await this.modernAuth().getByRole('button', { name: 'Re-authenticate Now', exact: true }).click();
  }

  /** A sign-in that did not work: the message and the fix under the sign-in button. */
  async waitForSignInFailed(): Promise<ShownError> {
    const box = this.modernAuth().locator('.result--error');
    await box.waitFor();
    await this.screenshot('sign-in-failed');
    return this.errorIn(box);
  }

  async signInFailure(): Promise<ShownError | null> {
    const box = this.modernAuth().locator('.result--error');
    return (await box.count()) === 0 ? null : this.errorIn(box);
  }

  /** The sign-in button is back: the mailbox is signed out. */
  async waitForSignedOut(): Promise<void> {
    await this.modernAuth().getByRole('button', { name: 'Sign in using Modern Authentication…', exact: true }).waitFor();
    await this.screenshot('signed-out');
  }

  async cancelSignIn(): Promise<void> {
    await this.modernAuth().getByRole('button', { name: 'Cancel', exact: true }).click();
  }

  async signInWithWebBrowserInstead(): Promise<void> {
    await this.modernAuth().getByRole('button', { name: 'Sign in with your web browser instead', exact: true }).click();
  }

  async isWebBrowserInsteadShown(): Promise<boolean> {
    return this.modernAuth().getByRole('button', { name: 'Sign in with your web browser instead', exact: true }).isVisible();
  }

  /** "Copy sign-in link", until "Link copied" shows; answers what the clipboard holds then. */
  async copySignInLink(): Promise<string> {
    await this.modernAuth().getByRole('button', { name: 'Copy sign-in link', exact: true }).click();
    await this.modernAuth().getByText('Link copied', { exact: true }).waitFor();
    await this.screenshot('link-copied');
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /** The sign-in's Reset: signs the mailbox out. */
  async resetSignIn(): Promise<void> {
    await this.modernAuth().getByRole('button', { name: 'Reset', exact: true }).click();
  }

  async openProviderSettings(): Promise<void> {
    const toggle = this.modernAuth().getByRole('button', { name: 'Provider settings' });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await this.screenshot('provider-settings');
  }

  async fillProviderSetting(label: ProviderSettingLabel, value: string): Promise<void> {
    await this.modernAuth().getByLabel(label, { exact: true }).fill(value);
  }

  /** The message under a field of "Provider settings". */
  async providerSettingError(label: ProviderSettingLabel): Promise<string | null> {
    return this.errorOf(this.modernAuth().getByLabel(label, { exact: true }));
  }

  /**
   * The user comes back to the window (from another app, or from the browser they signed in with): the
   * window gets focus, as the OS tells it.
   */
  async regainFocus(): Promise<void> {
    await this.page.bringToFront();
    await this.page.evaluate(() => window.dispatchEvent(new FocusEvent('focus')));
  }

  // ---- Test Connection -------------------------------------------------------------------------------

  async isTestConnectionEnabled(): Promise<boolean> {
    return this.connection().getByRole('button', { name: 'Test Connection', exact: true }).isEnabled();
  }

  /** The line beside Test Connection: what it uses, or what is missing before it can run. */
  async testConnectionHint(): Promise<string> {
    return ((await this.connection().locator('.connection-test__bar .field__hint').textContent()) ?? '').trim();
  }

  async testConnection(): Promise<void> {
    await this.connection().getByRole('button', { name: 'Test Connection', exact: true }).click();
  }

  /** "Testing…" shows while the test runs. */
  async waitForTesting(): Promise<void> {
    await this.connection().getByRole('button', { name: 'Testing…', exact: true }).waitFor();
  }

  /** The green or red box of Test Connection (screenshotted as connection-succeeded / connection-failed). */
  async waitForConnectionResult(): Promise<ConnectionResult> {
    const box = this.connection().locator('.result');
    await box.waitFor({ timeout: 20_000 });
    if ((await box.getAttribute('class'))?.includes('result--success')) {
      await this.screenshot('connection-succeeded');
      return { ok: true, message: ((await box.locator('.status__message').textContent()) ?? '').trim() };
    }
    await this.screenshot('connection-failed');
    const { message, fix } = await this.errorIn(box);
    const certificate = box.getByRole('definition');
    const rows = box.locator('.certificate__row');
    let details: Record<string, string> | null = null;
    if ((await certificate.count()) > 0) {
      details = {};
      for (const row of await rows.all()) details[((await row.locator('dt').textContent()) ?? '').trim()] = ((await row.locator('dd').textContent()) ?? '').trim();
    }
    return { ok: false, message, fix, certificate: details };
  }

  /** "Trust this certificate", until the window says it is trusted; answers that line. */
  async trustCertificate(): Promise<string> {
    await this.connection().getByRole('button', { name: 'Trust this certificate', exact: true }).click();
    const line = this.connection().getByText('is trusted now', { exact: false });
    await line.waitFor();
    await this.screenshot('certificate-trusted');
    return ((await line.textContent()) ?? '').trim();
  }

  // ---- Send a test email ---------------------------------------------------------------------------

  async isSendTestEmailEnabled(): Promise<boolean> {
    return this.testEmailGroup().getByRole('button', { name: 'Send a test email…', exact: true }).isEnabled();
  }

  /** The line beside "Send a test email…" (which settings it uses, or "Save first"). */
  async sendTestEmailHint(): Promise<string> {
    return ((await this.testEmailGroup().locator('.field__hint').textContent()) ?? '').trim();
  }

  async isTestEmailOpen(): Promise<boolean> {
    return this.testEmailDialog().isVisible();
  }

  async openTestEmail(): Promise<void> {
    await this.testEmailGroup().getByRole('button', { name: 'Send a test email…', exact: true }).click();
    await this.testEmailDialog().waitFor();
  }

  /** Opens the dialog (if it is not open), fills what is given, takes a screenshot and clicks Send. */
  async sendTestEmail(values: TestEmailValues): Promise<void> {
    if (!(await this.testEmailDialog().isVisible())) await this.openTestEmail();
    const dialog = this.testEmailDialog();
    if (values.to !== undefined) await dialog.getByLabel('To', { exact: true }).fill(values.to);
    if (values.subject !== undefined) await dialog.getByLabel('Subject', { exact: true }).fill(values.subject);
    if (values.html !== undefined) await dialog.getByLabel('Message (HTML)', { exact: true }).fill(values.html);
    if (values.activityNote !== undefined) await dialog.getByLabel('Create a copy as an activity note', { exact: true }).setChecked(values.activityNote);
    await this.screenshot('test-email');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  }

  /** Clicks "Attach files…": main opens its open-file dialog, which the test's file picker plays. */
  async clickAttachFiles(): Promise<void> {
    await this.testEmailDialog().getByRole('button', { name: 'Attach files…', exact: true }).click();
  }

  /** The names of the files listed as attached, in order. */
  async attachedFiles(): Promise<string[]> {
    const names = await this.attachments().getByRole('listitem').locator('.attachments__name').allTextContents();
    return names.map((name) => name.trim());
  }

  /** "Remove" beside an attached file. */
  async removeAttachment(name: string): Promise<void> {
    await this.attachments().getByRole('button', { name: `Remove ${name}`, exact: true }).click();
  }

  /** The message under the attachments (a file main refused), or null. */
  async attachmentsError(): Promise<string | null> {
    const error = this.testEmailDialog().getByRole('group', { name: 'Attachments', exact: true }).locator('.field__error');
    return (await error.count()) === 0 ? null : ((await error.textContent()) ?? '').trim();
  }

  /** The green or red box in the dialog after Send. */
  async waitForTestEmailResult(): Promise<TestEmailResult> {
    const box = this.testEmailDialog().locator('.result');
    await box.waitFor({ timeout: 20_000 });
    if ((await box.getAttribute('class'))?.includes('result--success')) {
      await this.screenshot('test-email-sent');
      const lines = await box.locator('p').allTextContents();
      return { ok: true, lines: lines.map((line) => line.trim()) };
    }
    await this.screenshot('test-email-failed');
    return { ok: false, ...(await this.errorIn(box)) };
  }

  /** The message under a field of the dialog, once Send was refused. */
  async testEmailFieldError(label: 'To' | 'Subject' | 'Message (HTML)'): Promise<string | null> {
    return this.errorOf(this.testEmailDialog().getByLabel(label, { exact: true }));
  }

  async closeTestEmail(): Promise<void> {
    await this.testEmailDialog().getByRole('button', { name: 'Close', exact: true }).click();
    await this.testEmailDialog().waitFor({ state: 'detached' });
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

  private modernAuth(): Locator {
    return this.section().getByRole('group', { name: 'Modern Authentication', exact: true });
  }

  private connection(): Locator {
    return this.section().getByRole('group', { name: 'Connection', exact: true });
  }

  private testEmailGroup(): Locator {
    return this.section().getByRole('group', { name: 'Send a test email', exact: true });
  }

  private testEmailDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Send a test email' });
  }

  private attachments(): Locator {
    return this.testEmailDialog().getByRole('list', { name: 'Attached files', exact: true });
  }

  private section(): Locator {
    return this.page.getByRole('region', { name: 'Send Direct' });
  }

  /** The save bar's status line (other parts of the section have live regions of their own). */
  private status(): Locator {
    return this.section().locator('.save-bar').getByRole('status');
  }

  private changePasswordDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Change Password' });
  }

  private control(field: SendDirectFieldName): Locator {
    if (field === 'security') return this.section().getByRole('radiogroup', { name: labels.security, exact: true });
    return this.section().getByLabel(labels[field], { exact: true });
  }

  /** A message counts only if the control says it is invalid AND points at it: what a screen reader reads. */
  private async errorOf(control: Locator): Promise<string | null> {
    if ((await control.count()) === 0 || (await control.getAttribute('aria-invalid')) !== 'true') return null;
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    for (const id of ids) {
      const element = this.page.locator(`[id="${id}"]`);
      if ((await element.getAttribute('class'))?.includes('field__error')) return ((await element.textContent()) ?? '').trim();
    }
    return null;
  }

  private async errorIn(block: Locator): Promise<ShownError> {
    const message = ((await block.locator('.status__message').textContent()) ?? '').trim();
    const fix = block.locator('.status__fix');
    return { message, fix: (await fix.count()) === 1 ? ((await fix.textContent()) ?? '').trim() : null };
  }
}
