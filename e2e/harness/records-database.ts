import type { Locator, Page } from 'playwright-core';
import type { AppWindow, ShownError } from './mail-account-form';

/**
 * The "Records database" dialog (issue 16) as a user sees it: opened from the title bar, "This computer
 * (built-in)" or "Shared PostgreSQL database", the address and password fields, Test and Save. Controls
 * are found by their labels.
 */
export class RecordsDatabaseDialog {
  constructor(private readonly window: AppWindow) {}

  private get page(): Page {
    return this.window.page;
  }

  screenshot(state: string): Promise<string> {
    return this.window.screenshot(`records-database-${state}`);
  }

  /** Clicks "Records database" in the title bar and waits for the dialog's form. */
  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'System Admin' }).getByRole('button', { name: 'Records database', exact: true }).click();
    await this.dialog().getByRole('radiogroup').waitFor();
  }

  /** "In use now: …" */
  async inUse(): Promise<string> {
    return ((await this.dialog().locator('.note').first().innerText()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async choose(label: 'This computer (built-in)' | 'Shared PostgreSQL database'): Promise<void> {
    await this.dialog().getByRole('radio', { name: label, exact: true }).check();
  }

  async fill(values: { readonly url?: string; readonly password?: string }): Promise<void> {
    if (values.url !== undefined) await this.dialog().getByLabel('Database address', { exact: true }).fill(values.url);
    if (values.password !== undefined) await this.dialog().getByLabel('Database password', { exact: true }).fill(values.password);
  }

  async passwordInputType(): Promise<string | null> {
    return this.dialog().getByLabel('Database password', { exact: true }).getAttribute('type');
  }

  async passwordHint(): Promise<string> {
    return ((await this.dialog().locator('#records-database-password-hint').innerText()) ?? '').trim();
  }

  /** Test: the success message, or the failure as shown (the address field's message and the fix). */
  test(): Promise<Outcome> {
    return this.act('Test');
  }

  save(): Promise<Outcome> {
    return this.act('Save');
  }

  private async act(button: 'Test' | 'Save'): Promise<Outcome> {
    const status = this.dialog().locator('[role="status"]');
    await this.dialog().getByRole('button', { name: button, exact: true }).click();
    const success = status.locator('.result--success .status__message');
    const fieldError = this.dialog().locator('#records-database-url-error');
    const errorBox = status.locator('.result--error');
    const shown = await Promise.race([
      success.waitFor().then(() => 'success' as const),
      fieldError.waitFor().then(() => 'field' as const),
      errorBox.waitFor().then(() => 'box' as const),
    ]);
    if (shown === 'success') return { ok: true, message: ((await success.innerText()) ?? '').trim() };
    if (shown === 'field') {
      const fix = status.locator('.status__fix');
      return { ok: false, message: ((await fieldError.innerText()) ?? '').trim(), fix: (await fix.count()) > 0 ? ((await fix.innerText()) ?? '').trim() : null };
    }
    const fix = errorBox.locator('.status__fix');
    return { ok: false, message: ((await errorBox.locator('.status__message').innerText()) ?? '').trim(), fix: (await fix.count()) > 0 ? ((await fix.innerText()) ?? '').trim() : null };
  }

  async close(): Promise<void> {
    await this.dialog().getByRole('button', { name: 'Close', exact: true }).click();
    await this.dialog().waitFor({ state: 'detached' });
  }

  private dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Records database', exact: true });
  }
}

export type Outcome = { readonly ok: true; readonly message: string } | ({ readonly ok: false } & ShownError);
