import type { Locator } from 'playwright-core';
import { MailAccountForm, type ShownError } from './mail-account-form';

/**
 * The Send Direct section of the window as a user sees it (`app.sendDirect`): its fields, Save and
 * Cancel, and "Send a test email". The password, Modern Authentication and Test Connection are the mail
 * account's (mail-account-form.ts).
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

export class SendDirectSection extends MailAccountForm<SendDirectFieldName> {
  // ---- Loading ---------------------------------------------------------------------------------

  /** The Send Direct form is on screen with the values main answered. */
  async waitForLoaded(): Promise<void> {
    await this.root().getByRole('button', { name: 'Save', exact: true }).waitFor();
    await this.screenshot('loaded');
  }

  /** The section could not load; answers the message and the fix shown. */
  async waitForLoadFailed(): Promise<ShownError> {
    const alert = this.root().getByRole('alert');
    await alert.waitFor();
    await this.screenshot('load-failed');
    return this.errorIn(alert);
  }

  async retryLoad(): Promise<void> {
    await this.root().getByRole('button', { name: 'Try again' }).click();
  }

  // ---- Fields ----------------------------------------------------------------------------------

  async fill(values: Partial<SendDirectValues> & { readonly password?: string }): Promise<void> {
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

  /** Every field as shown on screen. */
  async values(): Promise<SendDirectValues> {
    const text = (field: (typeof textFields)[number]) => this.control(field).inputValue();
    return {
      serverName: await text('serverName'),
      senderName: await text('senderName'),
      senderAddress: await text('senderAddress'),
      userName: await text('userName'),
      authMethod: (await this.control('authMethod').locator('option:checked').textContent()) ?? '',
      port: await text('port'),
      security: await this.chosenSecurity(),
    };
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
    return this.root()
      .locator('.field__label')
      .evaluateAll((rows) =>
        rows
          .filter((row) => [...row.querySelectorAll('.field__required')].some((mark) => mark.textContent?.trim() === '*' && (mark as HTMLElement).offsetWidth > 0))
          .map((row) => (row.querySelector('label')?.textContent ?? '').trim()),
      );
  }

  /** The note at the top of the form after Mail Settings turned encryption on for the user, or null. */
  async encryptionNotice(): Promise<string | null> {
    const note = this.root().getByRole('note');
    return (await note.count()) === 0 ? null : ((await note.textContent()) ?? '').trim();
  }

  // ---- Layout at a given window width ------------------------------------------------------------

  /** How much room a button's text takes (scroll size) against the room the button gives it (client size). */
  async buttonTextFit(name: string): Promise<TextFit> {
    return this.root()
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
    const visibleRight = await this.root().evaluate((section) => Math.min(section.getBoundingClientRect().right - section.clientLeft, document.documentElement.clientWidth));
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
    return this.root()
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

  // ---- Saving ------------------------------------------------------------------------------------

  async save(): Promise<void> {
    await this.root().getByRole('button', { name: 'Save', exact: true }).click();
  }

  async cancel(): Promise<void> {
    await this.root().getByRole('button', { name: 'Cancel', exact: true }).click();
  }

  async isCancelEnabled(): Promise<boolean> {
    return this.root().getByRole('button', { name: 'Cancel', exact: true }).isEnabled();
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

  /** Clicks "Attach files…": the browser opens its open-file dialog, which the test's file picker plays. */
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

  // ---- Internals -------------------------------------------------------------------------------

  protected root(): Locator {
    return this.page.getByRole('region', { name: 'Send Direct' });
  }

  protected labelOf(field: SendDirectFieldName): string {
    return labels[field];
  }

  /** The save bar's status line (other parts of the section have live regions of their own). */
  private status(): Locator {
    return this.root().locator('.save-bar').getByRole('status');
  }

  private testEmailGroup(): Locator {
    return this.root().getByRole('group', { name: 'Send a test email', exact: true });
  }

  private testEmailDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Send a test email' });
  }

  private attachments(): Locator {
    return this.testEmailDialog().getByRole('list', { name: 'Attached files', exact: true });
  }
}
