import type { Locator } from 'playwright-core';
import type { App } from './app';

/** A Service Desk record as its card shows it: case, subject, what it is to its case, and the warning flag. */
export interface ThreadCard {
  readonly caseReference: string;
  readonly subject: string;
  /** "Opened this case.", "Reply, joined to the case by …", "Auto-reply or report (…): …". */
  readonly role: string;
  readonly flagged: boolean;
}

/** One line of the thread shown in an opened Service Desk record. */
export interface ThreadLine {
  readonly subject: string;
  readonly role: string;
  readonly current: boolean;
}

/** The Service Desk Inbox's records seen as case threads (the records view's cards and an opened case). */
export class ServiceDeskThreads {
  constructor(private readonly app: App) {}

  /** The cards of "Recent records", newest first, as threads see them. */
  async cards(): Promise<ThreadCard[]> {
    const cards: ThreadCard[] = [];
    for (const card of await this.recordsList().locator(':scope > li').all()) {
      cards.push({
        caseReference: await text(card.locator('.record-card__kind')),
        subject: await text(card.locator('.record-card__subject')),
        role: await text(card.locator('.record-card__thread')),
        flagged: (await card.locator('.record-card__flag').count()) > 0,
      });
    }
    return cards;
  }

  /** Waits until `count` records are listed (screenshotted as `state`), and returns their cards. */
  async waitForCards(count: number, state: string): Promise<ThreadCard[]> {
    await this.recordsList().locator(':scope > li').nth(count - 1).waitFor();
    await this.app.screenshot(state);
    return this.cards();
  }

  /** The thread of the opened record's case, oldest first (screenshotted as `state`). */
  async openedThread(state: string): Promise<{ readonly title: string; readonly lines: ThreadLine[] }> {
    const thread = this.module().locator('dialog.modal--record .case-thread');
    await thread.waitFor();
    await this.app.screenshot(state);
    const lines: ThreadLine[] = [];
    for (const item of await thread.getByRole('listitem').all()) {
      lines.push({
        subject: await text(item.locator('.case-thread__subject')),
        role: await text(item.locator('.record-card__thread')),
        current: (await item.getAttribute('aria-current')) === 'true',
      });
    }
    return { title: await text(thread.getByRole('heading')), lines };
  }

  /** The acknowledgement checkbox of the inbox's open dialog: whether it is ticked, or null when the dialog has none. */
  async acknowledgementOption(dialog: 'Service Desk' | 'Lead'): Promise<{ readonly checked: boolean } | null> {
    const box = this.acknowledgementBox(dialog);
    return (await box.count()) === 0 ? null : { checked: await box.isChecked() };
  }

  /** Ticks or unticks "Send an acknowledgement…" in the open Service Desk dialog (screenshotted as acknowledgement-<on|off>). */
  async setAcknowledgement(checked: boolean): Promise<void> {
    await this.acknowledgementBox('Service Desk').setChecked(checked);
    await this.app.screenshot(`acknowledgement-${checked ? 'on' : 'off'}`);
  }

  private acknowledgementBox(dialog: 'Service Desk' | 'Lead'): Locator {
    return this.app.page
      .getByRole('dialog', { name: `Configure ${dialog} Inbox Processing`, exact: true })
      .getByRole('checkbox', { name: 'Send an acknowledgement to whoever opens a case', exact: true });
  }

  private module(): Locator {
    return this.app.page.getByRole('region', { name: 'Service Desk Inbox', exact: true });
  }

  private recordsList(): Locator {
    return this.module().getByRole('list', { name: 'Recent records', exact: true });
  }
}

async function text(locator: Locator): Promise<string> {
  return (await locator.count()) === 0 ? '' : ((await locator.first().textContent()) ?? '').trim();
}
