import type { Locator, Page } from 'playwright-core';
import type { AppWindow, ConnectionResult, ShownError } from './mail-account-form';

/**
 * System Admin › Email Integration (issue 15, seed 002) as a user sees it: the dashboard opened from the
 * title bar, New Email Integration, an added mailbox's Details with its Action Center (Change Password)
 * and its aliases, and Delete. Fields are found by seed 002's labels.
 */

export interface IntegrationValues {
  readonly mailbox: string;
  readonly password: string;
  readonly host: string;
  readonly port: string;
  readonly configurationName: string;
  readonly description: string;
}

const labels: Readonly<Record<keyof IntegrationValues, string>> = {
  mailbox: 'Mailbox',
  password: 'Password',
  host: 'Host',
  port: 'Port',
  configurationName: 'Configuration Name',
  description: 'Description',
};

export interface DashboardRow {
  readonly name: string;
  readonly mailbox: string;
  readonly host: string;
  /** ok (green tick), failed (red cross) or unknown (not checked yet). */
  readonly status: string;
  readonly statusText: string;
  readonly lastFetch: string;
  readonly aliases: string;
  readonly actions: readonly string[];
}

export interface AliasRow {
  readonly address: string;
  readonly target: string;
  readonly deletable: boolean;
}

export type AliasDefaults = { readonly activityType: string; readonly owner?: string } | { readonly queue: string };

export class EmailIntegration {
  constructor(private readonly window: AppWindow) {}

  private get page(): Page {
    return this.window.page;
  }

  screenshot(state: string): Promise<string> {
    return this.window.screenshot(`email-integration-${state}`);
  }

  // ---- The dashboard ---------------------------------------------------------------------------

  /** Clicks "Email Integration" in the title bar (the administrator's prompt may come first). */
  async clickEntry(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'System Admin' }).getByRole('button', { name: 'Email Integration', exact: true }).click();
  }

  /** Opens the dashboard and waits for its rows. */
  async open(): Promise<void> {
    await this.clickEntry();
    await this.waitForDashboard();
  }

  async waitForDashboard(): Promise<void> {
    await this.dashboard().locator('table').waitFor();
  }

  async isDashboardOpen(): Promise<boolean> {
    return this.dashboard().isVisible();
  }

  async rows(): Promise<DashboardRow[]> {
    const rows = await this.dashboard().locator('tbody tr').all();
    return Promise.all(
      rows.map(async (row) => {
        const cells = row.locator('th, td');
        const text = async (index: number): Promise<string> => ((await cells.nth(index).innerText()) ?? '').replace(/\s+/g, ' ').trim();
        return {
          name: await text(0),
          mailbox: await text(1),
          host: await text(2),
          status: (await cells.nth(3).locator('[data-status]').getAttribute('data-status')) ?? '',
          statusText: await text(3),
          lastFetch: await text(4),
          aliases: await text(5),
          // As announced: the visually hidden part names the row ("Details of Sales mailbox").
          actions: (await cells.nth(6).getByRole('button').allTextContents()).map((name) => name.replace(/\s+/g, ' ').trim()),
        };
      }),
    );
  }

  /** Waits until the row named `name` shows `aliases` aliases (the dashboard follows main's events). */
  async waitForAliasCount(name: string, aliases: number): Promise<void> {
    await this.row(name).locator('td').nth(4).filter({ hasText: new RegExp(`^${aliases}$`) }).waitFor();
  }

  /**
   * Check now on an added mailbox's row: 'checked' once the dashboard says its mail was fetched; the
   * row's status once it shows a red cross; or the refusal under the table (another run is emptying it …).
   */
  async checkNow(name: string): Promise<'checked' | { readonly failed: string } | (ShownError & { readonly code: string })> {
    await this.row(name).getByRole('button', { name: `Check now ${name}`, exact: true }).click();
    const refusal = this.dashboard().locator(':scope > div > .result--error');
    const outcome = await Promise.race([
      this.dashboard().getByText(`${name} checked: its mail is fetched.`, { exact: true }).waitFor().then(() => 'checked' as const),
      this.row(name).locator('[data-status="failed"]').waitFor().then(() => 'failed' as const),
      refusal.waitFor().then(() => 'refused' as const),
    ]);
    if (outcome === 'checked') return 'checked';
    if (outcome === 'failed') return { failed: ((await this.row(name).locator('[data-status]').innerText()) ?? '').replace(/\s+/g, ' ').trim() };
    const fix = refusal.locator('.status__fix');
    return {
      code: (await refusal.getAttribute('data-error-code')) ?? '',
      message: ((await refusal.locator('.status__message').textContent()) ?? '').trim(),
      fix: (await fix.count()) === 0 ? null : ((await fix.textContent()) ?? '').trim(),
    };
  }

  async closeDashboard(): Promise<void> {
    await this.dashboard().getByRole('button', { name: 'Close', exact: true }).first().click();
    await this.dashboard().waitFor({ state: 'detached' });
  }

  // ---- New Email Integration and Details -------------------------------------------------------

  async add(): Promise<void> {
    await this.dashboard().getByRole('button', { name: 'Add', exact: true }).click();
    await this.form().getByRole('heading', { name: 'New Email Integration', exact: true }).waitFor();
  }

  async openDetails(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: `Details of ${name}`, exact: true }).click();
  }

  /** An added mailbox's form is open: answers its title. */
  async waitForDetails(name: string): Promise<string> {
    const heading = this.form().getByRole('heading', { name: `Email Integration: ${name}`, exact: true });
    await heading.waitFor();
    return ((await heading.textContent()) ?? '').trim();
  }

  /** A built-in mailbox's Details: the sentence saying where it is edited. */
  async builtInDetails(name: string): Promise<string> {
    const dialog = this.page.getByRole('dialog', { name, exact: true });
    await dialog.waitFor();
    return ((await dialog.locator('.note').textContent()) ?? '').trim();
  }

  async fill(values: Partial<IntegrationValues> & { readonly secure?: boolean }): Promise<void> {
    for (const field of Object.keys(labels) as (keyof IntegrationValues)[]) {
      const value = values[field];
      if (value !== undefined) await this.field(field).fill(value);
    }
    if (values.secure !== undefined) await this.form().getByRole('checkbox', { name: 'Use Secure Connection', exact: true }).setChecked(values.secure);
  }

  async values(): Promise<Partial<IntegrationValues> & { readonly secure: boolean }> {
    const values: Partial<Record<keyof IntegrationValues, string>> = {};
    for (const field of Object.keys(labels) as (keyof IntegrationValues)[]) {
      const input = this.field(field);
      if ((await input.count()) === 1) values[field] = await input.inputValue();
    }
    return { ...values, secure: await this.form().getByRole('checkbox', { name: 'Use Secure Connection', exact: true }).isChecked() };
  }

  /** Leaves a field, as Tab does: its problem shows from then on. */
  async leave(field: keyof IntegrationValues): Promise<void> {
    await this.field(field).focus();
    await this.page.keyboard.press('Tab');
  }

  async fieldError(field: keyof IntegrationValues): Promise<string | null> {
    const describedBy = (await this.field(field).getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    return errorId === undefined ? null : ((await this.page.locator(`[id="${errorId}"]`).textContent()) ?? '').trim();
  }

  /** Authentication method: "Normal Password (basic authentication)" or "Modern Authentication (OAuth 2.0) - Office 365" / "- Google". */
  async chooseAuthMethod(optionText: string): Promise<void> {
    await this.form().getByLabel('Authentication method', { exact: true }).selectOption({ label: optionText });
  }

  /** Modern Authentication before the first Save: the sentence saying the sign-in comes after it. */
  async signInAfterSaveNote(): Promise<string> {
    return ((await this.form().locator('#integration-sign-in-after-save').textContent()) ?? '').trim();
  }

  /** "Sign in using Modern Authentication…" in a saved mailbox's Details. */
  async clickSignIn(): Promise<void> {
    await this.modernAuth().getByRole('button', { name: 'Sign in using Modern Authentication…', exact: true }).click();
  }

  /** The green tick with "Signed in as <username>"; answers the screenshot of it. */
  async waitForSignedIn(username: string): Promise<string> {
    const signedIn = this.modernAuth().getByText(`Signed in as ${username}`, { exact: true });
    await signedIn.waitFor();
    await this.modernAuth().scrollIntoViewIfNeeded();
    return this.screenshot('oauth-signed-in');
  }

  /** Whether the form has a Password input at all (an existing credential's is hidden, seed 002). */
  async hasPasswordInput(): Promise<boolean> {
    return (await this.form().locator('input[type="password"]').count()) > 0;
  }

  /** The line that stands for the hidden password in Details. */
  async hiddenPasswordText(): Promise<string> {
    return ((await this.form().locator('#integration-password-hidden').textContent()) ?? '').trim();
  }

  /** Test Connection: available or not (aria-disabled, still focusable), and the reason read out with it. */
  async testConnectionState(): Promise<{ readonly enabled: boolean; readonly hint: string }> {
    const button = this.testButton();
    return {
      enabled: (await button.getAttribute('aria-disabled')) !== 'true',
      hint: ((await this.form().locator('#integration-test-hint').textContent()) ?? '').trim(),
    };
  }

  async testConnection(): Promise<void> {
    await this.testButton().click();
  }

  /** The green or red box under Test Connection, once the test is over; screenshotted as `state`. */
  async waitForTestResult(state: string): Promise<ConnectionResult> {
    const panel = this.form().getByRole('group', { name: 'Connection', exact: true });
    const box = panel.locator('.result');
    await box.waitFor();
    // The form scrolls: the screenshot shows the result, as the user's eyes follow it.
    await box.scrollIntoViewIfNeeded();
    await this.screenshot(state);
    const message = ((await box.locator('.status__message').textContent()) ?? '').trim();
    if ((await box.getAttribute('class'))?.includes('result--success')) return { ok: true, message };
    const fix = box.locator('.status__fix');
    return { ok: false, message, fix: (await fix.count()) === 0 ? null : ((await fix.textContent()) ?? '').trim(), certificate: null };
  }

  /** The error code of the red box (data-error-code), for a message reached through a known failure. */
  async testErrorCode(): Promise<string | null> {
    return this.form().locator('.result--error').getAttribute('data-error-code');
  }

  async save(): Promise<void> {
    await this.form().getByRole('button', { name: 'Save', exact: true }).click();
  }

  async waitForSaved(): Promise<void> {
    await this.form().locator('.save-bar').getByText('Settings saved.', { exact: true }).waitFor();
  }

  async closeForm(): Promise<void> {
    await this.form().locator('.save-bar').getByRole('button', { name: 'Cancel', exact: true }).click();
    await this.form().waitFor({ state: 'detached' });
  }

  // ---- Change Password (Action Center) -----------------------------------------------------------

  async openChangePassword(): Promise<void> {
    await this.form().getByRole('group', { name: 'Action Center', exact: true }).getByRole('button', { name: 'Change Password', exact: true }).click();
    await this.passwordDialog().waitFor();
  }

  /** Types the pair and clicks OK; answers the problem said under Confirm Password, or null once the dialog closed. */
  async changePassword(newPassword: string, confirmPassword: string): Promise<string | null> {
    const dialog = this.passwordDialog();
    await dialog.getByLabel('New Password', { exact: true }).fill(newPassword);
    await dialog.getByLabel('Confirm Password', { exact: true }).fill(confirmPassword);
    await dialog.getByRole('button', { name: 'OK', exact: true }).click();
    const closed = dialog.waitFor({ state: 'detached' }).then(() => null);
    const refused = dialog
      .locator('.field__error')
      .first()
      .waitFor()
      .then(async () => ((await dialog.locator('.field__error').first().textContent()) ?? '').trim());
    return Promise.race([closed, refused]);
  }

  async cancelChangePassword(): Promise<void> {
    await this.passwordDialog().getByRole('button', { name: 'Cancel', exact: true }).click();
  }

  async notice(): Promise<string> {
    return ((await this.form().locator('.status--success').first().textContent()) ?? '').trim();
  }

  // ---- Aliases ------------------------------------------------------------------------------------

  async aliases(): Promise<AliasRow[]> {
    const list = this.form().getByRole('list', { name: /^Aliases of / });
    await list.waitFor();
    const items = await list.getByRole('listitem').all();
    return Promise.all(
      items.map(async (item) => ({
        address: ((await item.locator('.types__name').textContent()) ?? '').trim(),
        target: ((await item.locator('.types__state').textContent()) ?? '').trim(),
        deletable: (await item.getByRole('button').count()) > 0,
      })),
    );
  }

  async addAlias(address: string, defaults: AliasDefaults): Promise<void> {
    const form = this.form().locator('form.alias-add');
    await form.getByLabel('Alias address', { exact: true }).fill(address);
    if ('queue' in defaults) {
      await form.getByRole('radio', { name: 'Service Desk Inbox', exact: true }).check();
      await form.getByLabel('Case queue', { exact: true }).fill(defaults.queue);
    } else {
      await form.getByRole('radio', { name: 'Lead Inbox', exact: true }).check();
      await form.getByLabel('Activity type', { exact: true }).selectOption({ label: defaults.activityType });
      await form.getByLabel('Owner', { exact: true }).fill(defaults.owner ?? '');
    }
    await form.getByRole('button', { name: 'Add alias', exact: true }).click();
    await this.form().getByText(`${address.toLowerCase()} added.`, { exact: true }).waitFor();
  }

  async deleteAlias(address: string): Promise<void> {
    await this.form().getByRole('button', { name: `Delete ${address}`, exact: true }).click();
    await this.form().getByText(`${address} deleted.`, { exact: true }).waitFor();
  }

  // ---- Delete ---------------------------------------------------------------------------------------

  /** Delete on the row, then Delete in the confirmation: 'deleted', or the refusal shown (confirmation still open). */
  async delete(name: string): Promise<'deleted' | (ShownError & { readonly code: string })> {
    await this.row(name).getByRole('button', { name: `Delete ${name}`, exact: true }).click();
    const confirmation = this.page.getByRole('dialog', { name: `Delete ${name}?`, exact: true });
    await confirmation.waitFor();
    await confirmation.getByRole('button', { name: 'Delete', exact: true }).click();
    const refusal = confirmation.locator('[data-error-code]');
    const outcome = await Promise.race([
      confirmation.waitFor({ state: 'detached' }).then(() => 'deleted' as const),
      refusal.waitFor().then(() => 'refused' as const),
    ]);
    if (outcome === 'deleted') return 'deleted';
    await this.screenshot('delete-refused');
    const fix = refusal.locator('.status__fix');
    return {
      code: (await refusal.getAttribute('data-error-code')) ?? '',
      message: ((await refusal.locator('.status__message').textContent()) ?? '').trim(),
      fix: (await fix.count()) === 0 ? null : ((await fix.textContent()) ?? '').trim(),
    };
  }

  async cancelDelete(name: string): Promise<void> {
    const confirmation = this.page.getByRole('dialog', { name: `Delete ${name}?`, exact: true });
    await confirmation.getByRole('button', { name: 'Cancel', exact: true }).click();
    await confirmation.waitFor({ state: 'detached' });
  }

  // ---- Internals ------------------------------------------------------------------------------------

  private dashboard(): Locator {
    return this.page.getByRole('dialog', { name: 'Email Integration', exact: true });
  }

  private row(name: string): Locator {
    return this.dashboard()
      .locator('tbody tr')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  private modernAuth(): Locator {
    return this.form().getByRole('group', { name: 'Modern Authentication', exact: true });
  }

  private form(): Locator {
    return this.page.locator('dialog.modal--integration-form[open]');
  }

  private field(field: keyof IntegrationValues): Locator {
    return this.form().getByLabel(labels[field], { exact: true });
  }

  private testButton(): Locator {
    return this.form().getByRole('button', { name: /^(Test Connection|Testing…)$/ });
  }

  private passwordDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Change Password', exact: true });
  }
}
