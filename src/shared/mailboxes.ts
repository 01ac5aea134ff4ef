import type { MailProtocol } from './mail-server';

/**
 * Every mailbox the app sets up, by id. Send Direct sends over SMTP; the inboxes are IMAP mailboxes
 * emptied into CRM records. "Email Integration" will add more, so code keys mailboxes by id rather than
 * naming each one.
 */

/** The inboxes that empty a mailbox into records. */
export const inboxIds = ['lead', 'serviceDesk'] as const;
export type InboxId = (typeof inboxIds)[number];

export const mailboxIds = ['send', ...inboxIds] as const;
export type MailboxId = (typeof mailboxIds)[number];

/** What each mailbox is called in the app's sections, dialogs and messages. */
export const mailboxNames: Readonly<Record<MailboxId, string>> = {
  send: 'Send Direct',
  lead: 'Lead Inbox',
  serviceDesk: 'Service Desk Inbox',
};

/** How each mailbox is named on the command line (`mail-settings sign-in service-desk`). */
export const mailboxCliNames: Readonly<Record<MailboxId, string>> = { send: 'send', lead: 'lead', serviceDesk: 'service-desk' };

/** The mailbox a command-line name stands for; the id itself (`serviceDesk`) is accepted as well. */
export function mailboxOfCliName(name: string | undefined): MailboxId | null {
  return mailboxIds.find((id) => mailboxCliNames[id] === name || id === name) ?? null;
}

/** The protocol each mailbox speaks: which STARTTLS dialogue, error rows and standard ports apply. */
export const mailboxProtocols = {
  send: 'smtp',
  lead: 'imap',
  serviceDesk: 'imap',
} as const satisfies Readonly<Record<MailboxId, MailProtocol>>;

/** The mailboxes that speak a protocol: `MailboxSpeaking<'smtp'>` is 'send'. */
export type MailboxSpeaking<Protocol extends MailProtocol> = {
  [Id in MailboxId]: (typeof mailboxProtocols)[Id] extends Protocol ? Id : never;
}[MailboxId];
