import type { Locator } from 'playwright-core';
import { MailAccountForm, type AppWindow, type ShownError } from './mail-account-form';

/**
 * An inbox of the window as a user sees it (`app.leadInbox`, `app.serviceDeskInbox`): the module with its
 * gear wheel and recent records, the "Configure … Processing" dialog (seed 000) with its E-MAIL ACCOUNT,
 * RECORD CREATION, Check now, Save and Cancel, the Type manager, and one record opened.
 */

export type InboxId = 'lead' | 'serviceDesk';

export interface InboxValues {
  readonly serverName: string;
  /** The visible text of the chosen "Use SSL" option: "None", "STARTTLS" or "SSL/TLS". */
  readonly security: string;
  readonly port: string;
  readonly userName: string;
  /** The visible text of the chosen option, e.g. "Normal Password (basic authentication)". */
  readonly authMethod: string;
  /** The chosen activity type's name, as the Type dropdown shows it. */
  readonly recordType: string;
}

export type InboxFieldName = keyof InboxValues | 'password' | 'sharedMailbox' | 'folder';

const labels: Readonly<Record<InboxFieldName, string>> = {
  serverName: 'Mail Server',
  security: 'Use SSL',
  port: 'Port',
  userName: 'Username',
  password: 'Password',
  authMethod: 'Authentication method',
  recordType: 'Type',
  sharedMailbox: 'Shared mailbox address',
  folder: 'Folder',
};

const sharedMailboxOption = 'This is a shared mailbox';

const names: Readonly<Record<InboxId, { readonly module: string; readonly dialog: string; readonly shots: string }>> = {
  lead: { module: 'Lead Inbox', dialog: 'Configure Lead Inbox Processing', shots: 'lead-inbox-' },
  serviceDesk: { module: 'Service Desk Inbox', dialog: 'Configure Service Desk Inbox Processing', shots: 'service-desk-inbox-' },
};

/** What Check now showed: the green box's lines, or the red one with its fix. */
export type CheckResult = { readonly ok: true; readonly lines: readonly string[] } | ({ readonly ok: false; readonly code: string | null } & ShownError);

/** The run in flight, as its progress bar says it. */
export interface RunProgress {
  readonly now: number;
  readonly max: number;
  readonly text: string;
}

/** The last run as the tick or cross beside its words shows it. */
export interface LastRunShown {
  readonly mark: 'green tick' | 'red cross';
  readonly code: string | null;
  readonly text: string;
}

/** One card of "Recent records". */
export interface RecordCard {
  /** The activity type (Lead Inbox) or the case reference (Service Desk). */
  readonly kind: string;
  readonly subject: string;
  readonly from: string;
  readonly date: string;
  /** What was read from the form, by label: Name, Email, Phone, Company, Message. */
  readonly fields: Readonly<Record<string, string>>;
  /** "Owner: …" or "Queue: …", set by the Email Integration alias the message came through; null when none. */
  readonly assigned: string | null;
}

/** An activity type in the Type manager: its name and what it says of it ("In use", "Retired: …"). */
export interface ActivityTypeRow {
  readonly name: string;
  readonly state: string;
}

export class InboxDialog extends MailAccountForm<InboxFieldName> {
  constructor(
    window: AppWindow,
    private readonly inbox: InboxId,
  ) {
    super(window, names[inbox].shots);
  }

  // ---- The module in the window ------------------------------------------------------------------

  /** The gear wheel of the module: opens the dialog (screenshotted as settings-open). */
  async openSettings(): Promise<void> {
    await this.module().getByRole('button', { name: names[this.inbox].dialog, exact: true }).click();
    await this.root().getByRole('button', { name: 'Save', exact: true }).waitFor();
    await this.screenshot('settings-open');
  }

  /** Where the keyboard is: the dialog's title (as it opens), the module's gear wheel (once it closed), or elsewhere. */
  async focusIsOn(): Promise<'dialog title' | 'gear wheel' | 'elsewhere'> {
    const title = this.dialog().getByRole('heading', { name: names[this.inbox].dialog, exact: true });
    if ((await title.count()) === 1 && (await title.evaluate((element) => element === document.activeElement))) return 'dialog title';
    const onGear = await this.module()
      .getByRole('button', { name: names[this.inbox].dialog, exact: true })
      .evaluate((gear) => gear === document.activeElement);
    return onGear ? 'gear wheel' : 'elsewhere';
  }

  /** The lines under the module's header: what the inbox is set up to do, its last check. */
  async moduleSummary(): Promise<string> {
    return ((await this.module().locator('.module__summary').textContent()) ?? '').trim();
  }

  /** The cards of "Recent records", newest first. */
  async recentRecords(): Promise<RecordCard[]> {
    const cards: RecordCard[] = [];
    for (const card of await this.recordsList().getByRole('listitem').all()) {
      const fields: Record<string, string> = {};
      for (const row of await card.locator('.record-card__field').all()) {
        fields[((await row.locator('dt').textContent()) ?? '').trim()] = ((await row.locator('dd').textContent()) ?? '').trim();
      }
      const text = async (selector: string) => ((await card.locator(selector).textContent()) ?? '').trim();
      cards.push({
        kind: await text('.record-card__kind'),
        subject: await text('.record-card__subject'),
        from: await text('.record-card__from'),
        date: await text('.record-card__date'),
        fields,
        assigned: (await card.locator('.record-card__assigned').count()) > 0 ? await text('.record-card__assigned') : null,
      });
    }
    return cards;
  }

  /** Waits until "Recent records" lists `count` records (screenshotted as records). */
  async waitForRecords(count: number): Promise<RecordCard[]> {
    await this.recordsList().getByRole('listitem').nth(count - 1).waitFor();
    await this.screenshot('records');
    return this.recentRecords();
  }

  /**
   * Waits for "Not imported: …" under the records (screenshotted as not-imported): its title, the advice
   * and one line per message left on the server.
   */
  async waitForNotImported(): Promise<{ readonly title: string; readonly advice: string; readonly messages: readonly string[] }> {
    const list = this.module().getByRole('list', { name: /^Not imported: / });
    await list.waitFor();
    await this.screenshot('not-imported');
    const block = list.locator('xpath=..');
    return {
      title: ((await list.getAttribute('aria-labelledby').then((id) => this.page.locator(`#${id ?? ''}`).textContent())) ?? '').trim(),
      advice: ((await block.locator('.records__advice').textContent()) ?? '').trim(),
      // Each card's lines (the reason, where and since when), one after the other.
      messages: await Promise.all((await list.getByRole('listitem').all()).map(async (item) => (await item.locator('span').allTextContents()).map((text) => text.trim()).join(' '))),
    };
  }

  /** "View" on the card with this subject: the record's dialog, once loaded (screenshotted as record). */
  async openRecord(subject: string): Promise<void> {
    const card = this.recordsList().getByRole('listitem').filter({ has: this.page.getByText(subject, { exact: true }) });
    await card.getByRole('button', { name: /^View / }).click();
    await this.recordDialog().getByRole('heading', { name: subject, exact: true }).waitFor();
    await this.screenshot('record');
  }

  /** The opened record's facts, by label (From, Date, Type or Case, Message-ID…, and the form's fields). */
  async recordDetails(): Promise<Record<string, string>> {
    const details: Record<string, string> = {};
    for (const row of await this.recordDialog().locator('.record-details__row').all()) {
      details[((await row.locator('dt').textContent()) ?? '').trim()] = ((await row.locator('dd').textContent()) ?? '').trim();
    }
    return details;
  }

  /** The body choices the record offers ("Text", "HTML", "Source"). */
  async recordViews(): Promise<string[]> {
    const options = await this.recordDialog().getByRole('radiogroup', { name: 'Show', exact: true }).locator('label').allTextContents();
    return options.map((option) => option.trim());
  }

  /** Shows the record's body as "Text", "HTML" or "Source" (screenshotted as record-<view>). */
  async showRecordAs(view: 'Text' | 'HTML' | 'Source'): Promise<void> {
    await this.recordDialog().getByRole('radiogroup', { name: 'Show', exact: true }).getByRole('radio', { name: view, exact: true }).check();
    await this.screenshot(`record-${view.toLowerCase()}`);
  }

  /** The text or source shown. */
  async recordBodyText(): Promise<string> {
    return (await this.recordDialog().locator('pre').textContent()) ?? '';
  }

  /** The frame the HTML body is shown in: its sandbox attribute and the document it was given. */
  async recordHtmlFrame(): Promise<{ readonly sandbox: string | null; readonly srcdoc: string; readonly bodyText: string }> {
    const frame = this.recordDialog().locator('iframe');
    const sandbox = await frame.getAttribute('sandbox');
    const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
    // What is rendered (innerText): a script's source is text of the body, not something the user sees.
    const bodyText = (await this.recordDialog().frameLocator('iframe').locator('body').innerText()).trim();
    return { sandbox, srcdoc, bodyText };
  }

  async closeRecord(): Promise<void> {
    await this.recordDialog().getByRole('button', { name: 'Close', exact: true }).click();
    await this.recordDialog().waitFor({ state: 'detached' });
  }

  // ---- The dialog's fields -------------------------------------------------------------------------

  async fill(values: Partial<InboxValues> & { readonly password?: string }): Promise<void> {
    if (values.serverName !== undefined) await this.control('serverName').fill(values.serverName);
    if (values.security !== undefined) await this.chooseSecurity(values.security);
    if (values.port !== undefined) await this.control('port').fill(values.port);
    if (values.userName !== undefined) await this.control('userName').fill(values.userName);
    if (values.authMethod !== undefined) await this.chooseAuthMethod(values.authMethod);
    if (values.recordType !== undefined) await this.chooseRecordType(values.recordType);
    if (values.password !== undefined) await this.control('password').fill(values.password);
  }

  /** Types into one field like a user: replaces its text, then leaves it (which checks it). */
  async typeInto(field: 'serverName' | 'port' | 'userName' | 'password', value: string): Promise<void> {
    await this.control(field).fill(value);
    await this.leaveField(field);
  }

  /** Every field as shown on screen. */
  async values(): Promise<InboxValues> {
    return {
      serverName: await this.control('serverName').inputValue(),
      security: await this.chosenSecurity(),
      port: await this.control('port').inputValue(),
      userName: await this.control('userName').inputValue(),
      authMethod: ((await this.control('authMethod').locator('option:checked').textContent()) ?? '').trim(),
      recordType: ((await this.control('recordType').locator('option:checked').textContent()) ?? '').trim(),
    };
  }

  async chooseRecordType(name: string): Promise<void> {
    await this.control('recordType').selectOption({ label: name });
  }

  /** The options of the Type dropdown, as shown. */
  async recordTypeOptions(): Promise<string[]> {
    const options = await this.control('recordType').locator('option').allTextContents();
    return options.map((option) => option.trim());
  }

  /** Waits for main's warnings above Save, and shows them (screenshotted as warnings); answers every note. */
  async waitForWarnings(): Promise<string[]> {
    const last = this.root().locator('.notice--warning').last();
    await last.scrollIntoViewIfNeeded();
    await this.screenshot('warnings');
    return this.warnings();
  }

  /** The dialog's notes: seed 000's important note at the top, then main's warnings (message and fix) above Save. */
  async warnings(): Promise<string[]> {
    const notes = await this.root().getByRole('note').allTextContents();
    return notes.map((note) => note.replace(/\s+/g, ' ').trim());
  }

  // ---- An Office 365 shared mailbox ------------------------------------------------------------------

  /** "This is a shared mailbox": null while it is not offered (not Office 365), else whether it is ticked and its sentence. */
  async sharedMailboxOption(): Promise<{ readonly checked: boolean; readonly explanation: string | null } | null> {
    const box = this.sharedMailboxBox();
    if ((await box.count()) === 0) return null;
    const hintId = ((await box.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-hint'));
    return { checked: await box.isChecked(), explanation: hintId === undefined ? null : ((await this.page.locator(`[id="${hintId}"]`).textContent()) ?? '').trim() };
  }

  /** Ticks "This is a shared mailbox" and types the shared address (screenshotted as shared-mailbox). */
  async chooseSharedMailbox(address: string): Promise<void> {
    await this.sharedMailboxBox().check();
    await this.control('sharedMailbox').fill(address);
    await this.leaveField('sharedMailbox');
    await this.screenshot('shared-mailbox');
  }

  /** The shared address as typed; null while the field is not shown. */
  async sharedMailboxAddress(): Promise<string | null> {
    const field = this.control('sharedMailbox');
    return (await field.count()) === 0 ? null : field.inputValue();
  }

  // ---- Save, Cancel ---------------------------------------------------------------------------------

  async save(): Promise<void> {
    await this.root().getByRole('button', { name: 'Save', exact: true }).click();
  }

  /** "Settings saved." is shown in the dialog. */
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

  /** Cancel: the dialog closes and what was not saved is forgotten. */
  async cancel(): Promise<void> {
    await this.root().getByRole('button', { name: 'Cancel', exact: true }).click();
    await this.dialog().waitFor({ state: 'detached' });
  }

  /** How wide the dialog's content is against the room the dialog shows it in: wider means sideways scrolling. */
  async dialogWidth(): Promise<{ readonly content: number; readonly room: number }> {
    return this.dialog().evaluate((dialog) => ({ content: dialog.scrollWidth, room: dialog.clientWidth }));
  }

  async isOpen(): Promise<boolean> {
    return this.dialog().isVisible();
  }

  // ---- Check now ---------------------------------------------------------------------------------------

  async isCheckNowEnabled(): Promise<boolean> {
    return (await this.checkNowButton().getAttribute('aria-disabled')) !== 'true';
  }

  /** The line beside Check now: what it does, or why it cannot run yet. */
  async checkNowHint(): Promise<string> {
    return ((await this.retrieval().locator('.field__hint').first().textContent()) ?? '').trim();
  }

  async checkNow(): Promise<void> {
    await this.checkNowButton().click();
  }

  /** Team mode: "Retrieved by <installation> — this computer / — another installation" under Check now. */
  async retrievedBy(): Promise<string> {
    const note = this.root().locator('.retrieved-by');
    await note.waitFor();
    return ((await note.textContent()) ?? '').trim();
  }

  /** The green or red box of Check now (screenshotted as check-succeeded / check-failed). */
  async waitForCheckResult(): Promise<CheckResult> {
    const box = this.retrieval().locator('.result');
    await box.waitFor({ timeout: 30_000 });
    if ((await box.getAttribute('class'))?.includes('result--success')) {
      await this.screenshot('check-succeeded');
      const lines = await box.locator('p').allTextContents();
      return { ok: true, lines: lines.map((line) => line.trim()) };
    }
    await this.screenshot('check-failed');
    return { ok: false, code: await box.getAttribute('data-error-code'), ...(await this.errorIn(box)) };
  }

  /**
   * The progress bar of the run in flight, once it has kept a first batch (screenshotted as
   * check-progress): its value and maximum as read out (aria-valuenow/max of role=progressbar) and its words.
   */
  async waitForProgress(): Promise<RunProgress> {
    const bar = this.retrieval().getByRole('progressbar', { name: 'Messages kept as records', exact: true });
    // A first batch kept: the bar has a value above 0 (an indeterminate bar, while connecting, has none).
    const handle = await bar.and(this.page.locator('progress[value]:not([value="0"])')).elementHandle({ timeout: 30_000 });
    const read = await handle?.evaluate((element) => ({
      now: Number(element.getAttribute('value')),
      max: Number(element.getAttribute('max')),
      text: element.getAttribute('aria-valuetext') ?? '',
    }));
    if (!read) throw new Error('The progress bar went away before it could be read.');
    await this.screenshot('check-progress');
    return read;
  }

  /**
   * A run this dialog did not start (the schedule, new mail seen by IDLE), caught as it goes (screenshotted
   * as automatic-check): what the panel says of it, the hint beside Check now, and whether Check now is
   * available, read in one go (a run can end between two reads).
   */
  async waitForAutomaticCheck(): Promise<{ readonly heading: string; readonly hint: string; readonly checkNowAvailable: boolean; readonly progressShown: boolean }> {
    const panel = this.retrieval().locator('.check-now__progress', { hasText: 'Automatic check' });
    const handle = await panel.elementHandle({ timeout: 30_000 });
    const read = await this.retrieval().evaluate((group, shownPanel) => ({
      heading: shownPanel?.querySelector('p')?.textContent?.trim() ?? '',
      hint: group.querySelector('.field__hint')?.textContent?.trim() ?? '',
      checkNowAvailable: group.querySelector('button')?.getAttribute('aria-disabled') !== 'true',
      progressShown: shownPanel?.querySelector('progress') !== null,
    }), handle);
    await this.screenshot('automatic-check');
    return read;
  }

  /** The last run's tick or cross with its words, in the dialog (`where: 'dialog'`) or under the module's header. */
  async lastRunStatus(where: 'dialog' | 'module'): Promise<LastRunShown | null> {
    const status = (where === 'dialog' ? this.retrieval() : this.module()).locator('.last-run');
    if ((await status.count()) === 0) return null;
    const succeeded = ((await status.getAttribute('class')) ?? '').includes('last-run--succeeded');
    const text = ((await status.textContent()) ?? '').replace(/\s+/g, ' ').trim();
    return { mark: succeeded ? 'green tick' : 'red cross', code: await status.getAttribute('data-error-code'), text };
  }

  /** The Folder field: INBOX unless a rule files the mail elsewhere. */
  async folder(): Promise<string> {
    return this.control('folder').inputValue();
  }

  /** Types the folder to empty and leaves the field (which checks it). */
  async setFolder(name: string): Promise<void> {
    await this.control('folder').fill(name);
    await this.leaveField('folder');
  }

  /** Ticks or unticks "Leave messages on the server". */
  async setKeepOnServer(on: boolean): Promise<void> {
    await this.root().getByRole('checkbox', { name: 'Leave messages on the server', exact: true }).setChecked(on);
  }

  /** "Reset Mailbox Counter": its confirmation, open (screenshotted as reset-counter-confirm), and what it says. */
  async askResetMailboxCounter(): Promise<string> {
    await this.root().getByRole('button', { name: 'Reset Mailbox Counter', exact: true }).click();
    const confirmation = this.resetCounterDialog();
    await confirmation.waitFor();
    await this.screenshot('reset-counter-confirm');
    return ((await confirmation.locator('.modal__text').textContent()) ?? '').trim();
  }

  /** Confirms the reset; resolves with the line that says it is done (screenshotted as counter-reset). */
  async confirmResetMailboxCounter(): Promise<string> {
    await this.resetCounterDialog().getByRole('button', { name: 'Reset the counter', exact: true }).click();
    const done = this.root().locator('.counter-reset');
    await done.waitFor();
    await this.screenshot('counter-reset');
    return ((await done.textContent()) ?? '').trim();
  }

  /** After the first Save of a mailbox that holds mail: the question (screenshotted as first-connection). */
  async waitForFirstConnectionQuestion(): Promise<{ readonly question: string; readonly choices: readonly string[] }> {
    const panel = this.root().locator('.first-connection');
    await panel.first().waitFor({ timeout: 20_000 });
    await panel.first().scrollIntoViewIfNeeded();
    await this.screenshot('first-connection');
    return {
      question: ((await panel.locator('.status__message').textContent()) ?? '').trim(),
      choices: (await panel.getByRole('button').allTextContents()).map((text) => text.trim()),
    };
  }

  /** Answers it; resolves with what the panel then says ("" once it is gone). */
  async answerFirstConnection(choice: 'Import all' | 'Only mail arriving from now on'): Promise<string> {
    await this.root().locator('.first-connection').getByRole('button', { name: choice, exact: true }).click();
    if (choice === 'Import all') return '';
    const answer = this.root().locator('p.first-connection');
    await answer.waitFor();
    await this.screenshot('first-connection-from-now');
    return ((await answer.textContent()) ?? '').trim();
  }

  /** "Check for new mail every (minutes)". */
  async setCheckEveryMinutes(minutes: string): Promise<void> {
    await this.root().getByLabel('Check for new mail every (minutes)', { exact: true }).fill(minutes);
  }

  // ---- The Type manager ---------------------------------------------------------------------------

  /** The gear beside Type: opens the Type manager (screenshotted as activity-types). */
  async openActivityTypes(): Promise<void> {
    await this.root().getByRole('button', { name: 'Manage activity types', exact: true }).click();
    await this.typesDialog().getByRole('list', { name: 'Activity types', exact: true }).waitFor();
    await this.screenshot('activity-types');
  }

  async activityTypes(): Promise<ActivityTypeRow[]> {
    const rows: ActivityTypeRow[] = [];
    for (const row of await this.typesDialog().getByRole('list', { name: 'Activity types', exact: true }).getByRole('listitem').all()) {
      rows.push({
        name: ((await row.locator('.types__name').textContent()) ?? '').trim(),
        state: ((await row.locator('.types__state').textContent()) ?? '').trim(),
      });
    }
    return rows;
  }

  /** Types a new type's name and clicks Add; waits for it in the list, or answers the message under the field. */
  async addActivityType(name: string): Promise<string | null> {
    await this.typesDialog().getByLabel('New activity type', { exact: true }).fill(name);
    await this.typesDialog().getByRole('button', { name: 'Add', exact: true }).click();
    const row = this.typeRow(name.trim());
    const field = this.typesDialog().getByLabel('New activity type', { exact: true });
    await Promise.race([row.waitFor(), this.page.waitForFunction((element) => element?.getAttribute('aria-invalid') === 'true', await field.elementHandle())]);
    return this.errorOf(field);
  }

  async renameActivityType(from: string, to: string): Promise<void> {
    await this.typesDialog().getByRole('button', { name: `Rename ${from}`, exact: true }).click();
    await this.typesDialog().getByLabel(`New name for ${from}`, { exact: true }).fill(to);
    await this.typesDialog().getByRole('button', { name: 'Rename', exact: true }).click();
    await this.typeRow(to).waitFor();
  }

  /** "Retire" (a type in use) or "Delete" (one nothing uses) beside a type: the button's visible word. */
  async retireActionOf(name: string): Promise<string | null> {
    const button = this.typeRow(name).getByRole('button', { name: new RegExp(`^(Retire|Delete) ${escapeRegExp(name)}$`) });
    if ((await button.count()) === 0) return null;
    return ((await button.textContent()) ?? '').replace(name, '').trim();
  }

  /**
   * Retire or Delete beside a type: answers "deleted" (the row went), "retired" (the row says so), or what
   * main answered when it refused (screenshotted as activity-type-refused).
   */
  async retireActivityType(name: string): Promise<'deleted' | 'retired' | ShownError> {
    const row = this.typeRow(name);
    const refusal = this.typesDialog().locator('.result--error');
    await row.getByRole('button', { name: new RegExp(`^(Retire|Delete) ${escapeRegExp(name)}$`) }).click();
    const outcome = await Promise.race([
      row.waitFor({ state: 'detached' }).then(() => 'deleted' as const),
      row.locator('.types__state', { hasText: /^Retired/ }).waitFor().then(() => 'retired' as const),
      refusal.waitFor().then(() => 'refused' as const),
    ]);
    if (outcome !== 'refused') return outcome;
    await this.screenshot('activity-type-refused');
    return this.errorIn(refusal);
  }

  async closeActivityTypes(): Promise<void> {
    await this.typesDialog().getByRole('button', { name: 'Close', exact: true }).click();
    await this.typesDialog().waitFor({ state: 'detached' });
  }

  // ---- Internals -------------------------------------------------------------------------------------

  /** The dialog's own form (the Change Password dialog and the Type manager open inside the dialog element). */
  protected root(): Locator {
    return this.dialog().locator('form.inbox-dialog');
  }

  protected labelOf(field: InboxFieldName): string {
    return labels[field];
  }

  private module(): Locator {
    return this.page.getByRole('region', { name: names[this.inbox].module, exact: true });
  }

  private dialog(): Locator {
    return this.page.getByRole('dialog', { name: names[this.inbox].dialog, exact: true });
  }

  private recordsList(): Locator {
    return this.module().getByRole('list', { name: 'Recent records', exact: true });
  }

  private recordDialog(): Locator {
    return this.module().locator('dialog.modal--record');
  }

  private typesDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Activity types', exact: true });
  }

  private typeRow(name: string): Locator {
    return this.typesDialog()
      .getByRole('listitem')
      .filter({ has: this.page.locator('.types__name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
  }

  private resetCounterDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Reset Mailbox Counter', exact: true });
  }

  private retrieval(): Locator {
    return this.root().getByRole('group', { name: 'Retrieval', exact: true });
  }

  private checkNowButton(): Locator {
    return this.retrieval().getByRole('button', { name: /^(Check now|Checking…)$/ });
  }

  private sharedMailboxBox(): Locator {
    return this.root().getByRole('checkbox', { name: sharedMailboxOption, exact: true });
  }

  private status(): Locator {
    return this.root().locator('.save-bar').getByRole('status');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
