import type { Locator, Page } from 'playwright-core';
import type { ShownError } from './mail-account-form';

/** A refusal in the administrator's prompt, with the code main answered (data-error-code). */
export interface AdminError extends ShownError {
  readonly code: string;
}

interface Screenshotter {
  screenshot(state: string): Promise<string>;
}

/**
 * The administrator's side of the window (issue 14) as a user sees it: the prompt's steps (seeds 001 and
 * 003), the title bar's "Administrator: … — Sign out", and the re-authentication pop-up and banner.
 */
export class AdminWindow {
  constructor(
    private readonly page: Page,
    private readonly shots: Screenshotter,
  ) {}

  // ---- The prompt ----------------------------------------------------------------------------------

  /** The prompt is open: answers its title ("Create the first administrator", "Administrator sign-in"…). */
  async waitForPrompt(title?: string): Promise<string> {
    const prompt = this.prompt();
    await prompt.waitFor();
    if (title !== undefined) await prompt.getByRole('heading', { name: title, exact: true }).waitFor();
    return ((await prompt.locator('#admin-prompt-title').textContent()) ?? '').trim();
  }

  async isPromptOpen(): Promise<boolean> {
    return this.prompt().isVisible();
  }

  async waitForPromptClosed(): Promise<void> {
    await this.prompt().waitFor({ state: 'detached' });
  }

  /** "Create the first administrator": email, password twice, then "Create administrator". */
  async createFirst(email: string, password: string, confirmPassword = password): Promise<void> {
    const prompt = this.prompt();
    await prompt.getByLabel('Email', { exact: true }).fill(email);
    await prompt.getByLabel('Password', { exact: true }).fill(password);
    await prompt.getByLabel('Confirm Password', { exact: true }).fill(confirmPassword);
    await prompt.getByRole('button', { name: 'Create administrator', exact: true }).click();
  }

  /**
   * "Set up two-factor authentication (2FA)": the setup key as shown on the screen (groups joined) and the
   * QR code's accessible name. Screenshotted as admin-2fa-setup.
   */
  async waitForTwoFactorSetup(): Promise<{ readonly setupKey: string; readonly qrCodeName: string; readonly screenshot: string }> {
    await this.waitForPrompt('Set up two-factor authentication (2FA)');
    const prompt = this.prompt();
    const groups = await prompt.locator('.setup-key span').allTextContents();
    const qrCodeName = (await prompt.getByRole('img').getAttribute('aria-label')) ?? '';
    const screenshot = await this.shots.screenshot('admin-2fa-setup');
    return { setupKey: groups.join(' '), qrCodeName, screenshot };
  }

  /** The QR code drawn in the page: an inline SVG with dark squares, no image address. */
  async qrCodeDrawing(): Promise<{ readonly tag: string; readonly squares: number; readonly imageSources: number }> {
    const image = this.prompt().getByRole('img');
    return {
      tag: await image.evaluate((element) => element.tagName.toLowerCase()),
      squares: await image.locator('path').evaluate((path) => (path.getAttribute('d') ?? '').split('z').length - 1),
      imageSources: await this.prompt().locator('img[src], image').count(),
    };
  }

  /**
   * Types the security number (or a recovery code), clicks Submit and waits for main's answer: the next
   * step, or the number cleared under main's refusal (so a refusal shown before is never read as the new one).
   */
  async submitCode(code: string): Promise<void> {
    const prompt = this.prompt();
    await prompt.getByLabel('Security number', { exact: true }).fill(code);
    await prompt.getByRole('button', { name: 'Submit', exact: true }).click();
    await this.page.waitForFunction(() => {
      const field = document.querySelector<HTMLInputElement>('dialog.admin-prompt[open] #admin-code');
      return field === null || field.value === '';
    });
  }

  /** The refusal the prompt shows now, if any (see waitForError to wait for one). */
  async shownError(): Promise<AdminError | null> {
    const box = this.prompt().locator('[data-error-code]');
    if ((await box.count()) === 0) return null;
    return {
      code: (await box.getAttribute('data-error-code')) ?? '',
      message: ((await box.locator('.status__message').textContent()) ?? '').trim(),
      fix: (await box.locator('.status__fix').count()) === 0 ? null : ((await box.locator('.status__fix').textContent()) ?? '').trim(),
    };
  }

  /** "Save these recovery codes": the ten codes shown once. */
  async waitForRecoveryCodes(): Promise<string[]> {
    await this.waitForPrompt('Save these recovery codes');
    const codes = await this.prompt().getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
    await this.shots.screenshot('admin-recovery-codes');
    return codes.map((code) => code.trim());
  }

  async done(): Promise<void> {
    await this.prompt().getByRole('button', { name: 'Done', exact: true }).click();
  }

  /** "Administrator sign-in": email and password, then "Sign in". */
  async signIn(email: string, password: string): Promise<void> {
    await this.waitForPrompt('Administrator sign-in');
    const prompt = this.prompt();
    await prompt.getByLabel('Email', { exact: true }).fill(email);
    await prompt.getByLabel('Password', { exact: true }).fill(password);
    await prompt.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Main's answer: the next step, or the password cleared under its refusal.
    await this.page.waitForFunction(() => {
      const field = document.querySelector<HTMLInputElement>('dialog.admin-prompt[open] #admin-password');
      return field === null || field.value === '';
    });
  }

  /** The second step: "Enter the one-time security number from your authenticator app". */
  async waitForCodeStep(): Promise<string> {
    const prompt = this.prompt();
    await prompt.getByLabel('Security number', { exact: true }).waitFor();
    return ((await prompt.locator('.modal__text').first().textContent()) ?? '').trim();
  }

  /** Main's refusal in the prompt, with its code; screenshotted as `state`. */
  async waitForError(code: string, state: string): Promise<AdminError> {
    const box = this.prompt().locator(`[data-error-code="${code}"]`);
    await box.waitFor();
    await this.shots.screenshot(state);
    return {
      code,
      message: ((await box.locator('.status__message').textContent()) ?? '').trim(),
      fix: (await box.locator('.status__fix').count()) === 0 ? null : ((await box.locator('.status__fix').textContent()) ?? '').trim(),
    };
  }

  /** A problem said under a field of the prompt. */
  async fieldError(label: string): Promise<string | null> {
    const field = this.prompt().locator('.field').filter({ has: this.page.getByLabel(label, { exact: true }) });
    const error = field.locator('.field__error');
    return (await error.count()) === 0 ? null : ((await error.textContent()) ?? '').trim();
  }

  /** Seed 003's confirmation: who is signed in and the text ending "Confirm you wish to proceed." */
  async waitForConfirmation(title: string): Promise<{ readonly who: string; readonly text: string }> {
    await this.waitForPrompt(title);
    const prompt = this.prompt();
    return {
      who: ((await prompt.locator('.admin-prompt__who').textContent()) ?? '').trim(),
      text: ((await prompt.locator('.modal__text').textContent()) ?? '').trim(),
    };
  }

  async clickInPrompt(name: string): Promise<void> {
    await this.prompt().getByRole('button', { name, exact: true }).click();
  }

  async cancelPrompt(): Promise<void> {
    await this.clickInPrompt('Cancel');
    await this.waitForPromptClosed();
  }

  // ---- The title bar --------------------------------------------------------------------------------

  /** "Administrator: x@… — Sign out", or "Sign in as administrator". */
  async indicator(): Promise<string> {
    const group = this.page.getByRole('group', { name: 'Administrator', exact: true });
    await group.waitFor();
    return ((await group.innerText()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async waitForSignedInAs(email: string): Promise<void> {
    await this.page.getByRole('group', { name: 'Administrator', exact: true }).getByText(`Administrator: ${email}`, { exact: true }).waitFor();
  }

  async waitForSignedOut(): Promise<void> {
    await this.indicatorButton('Sign in as administrator').waitFor();
  }

  async signOut(): Promise<void> {
    await this.indicatorButton('Sign out').click();
    await this.waitForSignedOut();
  }

  async openSignIn(): Promise<void> {
    await this.indicatorButton('Sign in as administrator').click();
  }

  // ---- Re-authentication (seed 003) -----------------------------------------------------------------

  /** The administrator's pop-up: the addresses it lists. Screenshotted as reauth-popup. */
  async waitForReauthPopup(): Promise<{ readonly addresses: string[]; readonly screenshot: string }> {
    const popup = this.reauthPopup();
    await popup.waitFor();
    const addresses = (await popup.locator('.reauth-list__address').allTextContents()).map((text) => text.trim());
    return { addresses, screenshot: await this.shots.screenshot('reauth-popup') };
  }

  async reauthenticateNow(address: string): Promise<void> {
    await this.reauthPopup()
      .getByRole('listitem')
      .filter({ has: this.page.locator('.reauth-list__address', { hasText: address }) })
      .getByRole('button', { name: 'Re-authenticate Now', exact: true })
      .click();
  }

  async later(): Promise<void> {
    await this.reauthPopup().getByRole('button', { name: 'Later', exact: true }).click();
    await this.reauthPopup().waitFor({ state: 'detached' });
  }

  async waitForReauthPopupClosed(): Promise<void> {
    await this.reauthPopup().waitFor({ state: 'detached' });
  }

  async isReauthPopupOpen(): Promise<boolean> {
    return this.reauthPopup().isVisible();
  }

  /** The banner users without an administrator see: its sentences. Screenshotted as reauth-banner. */
  async waitForReauthBanner(): Promise<{ readonly messages: string[]; readonly screenshot: string }> {
    const banner = this.page.locator('.reauth-banner');
    await banner.waitFor();
    const messages = (await banner.locator('.status__message').allTextContents()).map((text) => text.trim());
    return { messages, screenshot: await this.shots.screenshot('reauth-banner') };
  }

  async isReauthBannerShown(): Promise<boolean> {
    return this.page.locator('.reauth-banner').isVisible();
  }

  // ---- Internals -----------------------------------------------------------------------------------

  private prompt(): Locator {
    return this.page.locator('dialog.admin-prompt[open]');
  }

  private reauthPopup(): Locator {
    return this.page.getByRole('dialog', { name: 'Mail needs you to re-authenticate', exact: true });
  }

  private indicatorButton(name: string): Locator {
    return this.page.getByRole('group', { name: 'Administrator', exact: true }).getByRole('button', { name, exact: true });
  }
}
