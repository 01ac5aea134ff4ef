import type { Locator, Page } from 'playwright-core';
import { saveScreenshot } from './screenshots';

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

export class App {
  private readonly shots = new Map<string, number>();
  readonly screenshots: string[] = [];

  constructor(
    readonly page: Page,
    /** Prefix of this test's screenshot files. */
    private readonly name: string,
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

  /**
   * Calls a channel with a value IPC can't carry (a function inside the request), built in the page.
   * Answers how the call ended: resolved with a value, or rejected with an error name.
   */
  async callApiWithUncloneable(channel: string): Promise<{ readonly rejected: string } | { readonly resolved: unknown }> {
    return this.page.evaluate(async (name) => {
      const api = window.mailSettings as unknown as Record<string, (request: unknown) => Promise<unknown>>;
      try {
        return { resolved: await api[name]?.({ url: () => 'https://example.com/' }) };
      } catch (error) {
        return { rejected: error instanceof Error ? error.name : String(error) };
      }
    }, channel);
  }

  // ---- Screenshots -----------------------------------------------------------------------------

  /** test-results/screenshots/<test>--<state>.png; a state reached twice gets -2, -3... */
  async screenshot(state: string): Promise<string> {
    const seen = (this.shots.get(state) ?? 0) + 1;
    this.shots.set(state, seen);
    const path = await saveScreenshot(this.page, `${this.name}--${state}${seen > 1 ? `-${seen}` : ''}`);
    this.screenshots.push(path);
    return path;
  }

  // ---- Internals -------------------------------------------------------------------------------

  private section(): Locator {
    return this.page.getByRole('region', { name: 'Send Direct' });
  }

  private status(): Locator {
    return this.section().getByRole('status');
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
