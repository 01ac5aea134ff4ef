import type { Locator, Page } from 'playwright-core';

/**
 * What every mail account's form has (Send Direct's section, an inbox's dialog): the password with its
 * Change Password dialog, the Authentication method with Modern Authentication, SSL, Test Connection, and
 * a message under any field. Each section names its root and its labels; tests call these through
 * `app.sendDirect`, `app.leadInbox` or `app.serviceDeskInbox`.
 */

/** The window a section lives in: its page, and screenshots (with axe) numbered per test. */
export interface AppWindow {
  readonly page: Page;
  screenshot(state: string): Promise<string>;
}

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

/** The labels of "Provider settings" (Office 365, then Google). */
export type ProviderSettingLabel = 'Application (client) ID' | 'Tenant' | 'Client ID' | 'Client secret';

/** The labels every mail account's form has, in its own words (seed 000 words them per section). */
export interface MailAccountLabels {
  readonly password: string;
  readonly authMethod: string;
  readonly security: string;
}

export abstract class MailAccountForm<FieldName extends string> {
  constructor(
    protected readonly window: AppWindow,
    /** Prefix of this form's screenshot states ('' for Send Direct, 'lead-inbox-' …). */
    protected readonly shotPrefix: string,
  ) {}

  /** The section or dialog the form is in. */
  protected abstract root(): Locator;
  /** A field's visible label, as seed 000 words it. */
  protected abstract labelOf(field: FieldName | keyof MailAccountLabels): string;

  protected get page(): Page {
    return this.window.page;
  }

  protected screenshot(state: string): Promise<string> {
    return this.window.screenshot(`${this.shotPrefix}${state}`);
  }

  // ---- Fields ----------------------------------------------------------------------------------

  async leaveField(field: FieldName | 'password'): Promise<void> {
    await this.control(field).focus();
    await this.page.keyboard.press('Tab');
  }

  async chooseAuthMethod(optionText: string): Promise<void> {
    await this.control('authMethod').selectOption({ label: optionText });
  }

  async chooseSecurity(optionText: string): Promise<void> {
    await this.control('security').getByRole('radio', { name: optionText, exact: true }).check();
  }

  /** The options of the Authentication method, and whether each can be chosen. */
  async authMethodOptions(): Promise<readonly { readonly label: string; readonly enabled: boolean }[]> {
    return this.control('authMethod')
      .locator('option')
      .evaluateAll((options) => options.map((option) => ({ label: (option.textContent ?? '').trim(), enabled: !(option as HTMLOptionElement).disabled })));
  }

  /** The visible text of the chosen SSL option: "None", "STARTTLS" or "SSL/TLS"; '' when none is. */
  async chosenSecurity(): Promise<string> {
    const checked = this.control('security').getByRole('radio', { checked: true });
    return (await checked.count()) === 1 ? ((await checked.locator('xpath=..').textContent()) ?? '') : '';
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
    const box = this.root().getByRole('checkbox', { name: insecureAuthLabel, exact: true });
    if ((await box.count()) === 0) return null;
    const hintId = ((await box.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-hint'));
    return { checked: await box.isChecked(), hint: hintId === undefined ? null : await this.page.locator(`[id="${hintId}"]`).textContent() };
  }

  async setInsecureAuthAllowed(allowed: boolean): Promise<void> {
    await this.root().getByRole('checkbox', { name: insecureAuthLabel, exact: true }).setChecked(allowed);
  }

  /** The message shown under a field (bound to it with aria-describedby), or null when it has none. */
  async fieldError(field: FieldName | keyof MailAccountLabels): Promise<string | null> {
    return this.errorOf(this.control(field));
  }

  async waitForFieldError(field: FieldName | keyof MailAccountLabels): Promise<string> {
    const control = this.control(field);
    await this.page.waitForFunction((element) => element?.getAttribute('aria-invalid') === 'true', await control.elementHandle());
    await this.screenshot(`error-${field}`);
    return (await this.errorOf(control)) ?? '';
  }

  // ---- The stored password and the Change Password dialog ------------------------------------------

  async removePassword(): Promise<void> {
    await this.root().getByRole('button', { name: 'Remove', exact: true }).click();
  }

  /** Undo beside the stored password: back to keeping it. */
  async undoPasswordChange(): Promise<void> {
    await this.root().getByRole('button', { name: 'Undo', exact: true }).click();
  }

  async openChangePassword(): Promise<void> {
    await this.root().getByRole('button', { name: 'Change password' }).click();
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

  // ---- Internals -------------------------------------------------------------------------------

  protected control(field: FieldName | keyof MailAccountLabels): Locator {
    if (field === 'security') return this.root().getByRole('radiogroup', { name: this.labelOf('security'), exact: true });
    return this.root().getByLabel(this.labelOf(field), { exact: true });
  }

  protected modernAuth(): Locator {
    return this.root().getByRole('group', { name: 'Modern Authentication', exact: true });
  }

  protected connection(): Locator {
    return this.root().getByRole('group', { name: 'Connection', exact: true });
  }

  protected changePasswordDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Change Password' });
  }

  /** A message counts only if the control says it is invalid AND points at it: what a screen reader reads. */
  protected async errorOf(control: Locator): Promise<string | null> {
    if ((await control.count()) === 0 || (await control.getAttribute('aria-invalid')) !== 'true') return null;
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    for (const id of ids) {
      const element = this.page.locator(`[id="${id}"]`);
      if ((await element.getAttribute('class'))?.includes('field__error')) return ((await element.textContent()) ?? '').trim();
    }
    return null;
  }

  protected async errorIn(block: Locator): Promise<ShownError> {
    const message = ((await block.locator('.status__message').textContent()) ?? '').trim();
    const fix = block.locator('.status__fix');
    return { message, fix: (await fix.count()) === 1 ? ((await fix.textContent()) ?? '').trim() : null };
  }
}

const insecureAuthLabel = 'Allow sending my password without encryption';
