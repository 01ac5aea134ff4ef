import { z } from 'zod';
import type { AppError } from './errors';
import { mailboxCliNames, mailboxIds, mailboxNames, mailboxOfCliName, type MailboxId } from './mailboxes';

/**
 * The mailboxes that can sign in with Modern Authentication: every mailbox the app sets up. Send Direct
 * asks for SMTP scopes, the inboxes for IMAP scopes (provider-config.ts), each with a sign-in of its own.
 * A mailbox nobody signed in is signed-out and is never checked.
 */
export const mailboxes = mailboxIds;
export type Mailbox = MailboxId;

export const mailboxLabels: Readonly<Record<Mailbox, string>> = mailboxNames;

/**
 * Whose sign-in an account is: one of the app's own mailboxes, or an Email Integration mailbox on Modern
 * Authentication (`integration:<credential id>`), which signs in on its own like the inboxes (IMAP scopes).
 */
export type IntegrationAccountId = `integration:${string}`;
export type AccountId = Mailbox | IntegrationAccountId;

export function integrationAccountOf(credentialId: string): IntegrationAccountId {
  return `integration:${credentialId}`;
}

/** The credential id of an integration account (`integration:abc` → `abc`); null for the app's own mailboxes. */
export function integrationIdOfAccount(account: AccountId): string | null {
  return account.startsWith('integration:') ? account.slice('integration:'.length) : null;
}

const integrationAccountPattern = /^integration:[A-Za-z0-9-]{1,64}$/;

export function isAccountId(value: string): value is AccountId {
  return (mailboxes as readonly string[]).includes(value) || integrationAccountPattern.test(value);
}

export const accountIdSchema = z.string().refine(isAccountId, 'Unknown mailbox.').transform((value) => value as AccountId);

/** How a sign-in is named on the command line: `send`, `lead`, `service-desk`, or `integration:<id>`. */
export function accountCliName(account: AccountId): string {
  return integrationIdOfAccount(account) === null ? mailboxCliNames[account as Mailbox] : account;
}

/** The sign-in a command-line name stands for (`service-desk`, `serviceDesk`, `integration:<id>`), else null. */
export function accountOfCliName(name: string | undefined): AccountId | null {
  const mailbox = mailboxOfCliName(name);
  if (mailbox !== null) return mailbox;
  return name !== undefined && isAccountId(name) ? name : null;
}

/** What a sign-in is called in messages: "Lead Inbox", or an added mailbox's own name when given. */
export function accountLabel(account: AccountId, integrationName?: string): string {
  return integrationIdOfAccount(account) === null ? mailboxLabels[account as Mailbox] : (integrationName ?? 'This Email Integration mailbox');
}

/** The OAuth providers: Office 365 through MSAL, Google, and any OpenID Connect provider. */
export const providerKinds = ['office365', 'google', 'oidc'] as const;
export type ProviderKind = (typeof providerKinds)[number];

export const providerLabels: Readonly<Record<ProviderKind, string>> = {
  office365: 'Office 365',
  google: 'Google',
  oidc: 'OpenID Connect',
};

/** How the user signs in: the app's popup window, the system browser, or a link they open themselves. */
export const signInVias = ['popup', 'browser', 'link'] as const;
export type SignInVia = (typeof signInVias)[number];

const optionalTrimmed = z
  .string()
  .trim()
  .max(512, 'This value is too long.')
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/**
 * Where a provider is: what an admin may configure (their own app registration, tenant, or an OpenID
 * Connect issuer). Everything else about a provider is data in the main process.
 */
export const providerOptionsSchema = z
  .object({
    kind: z.enum(providerKinds, { error: 'Choose Office 365, Google or OpenID Connect.' }),
    clientId: optionalTrimmed,
    clientSecret: optionalTrimmed,
    tenant: optionalTrimmed.refine((t) => t === undefined || /^[A-Za-z0-9.-]+$/.test(t), 'The tenant is a name like contoso.onmicrosoft.com, a directory id, "organizations" or "common".'),
    issuer: optionalTrimmed.refine((u) => u === undefined || /^https:\/\/[^\s]+$/.test(u), 'The issuer must be an https:// address.'),
    loginHint: optionalTrimmed,
  })
  .strict();
export type ProviderOptions = z.output<typeof providerOptionsSchema>;

export type AccountStatus = 'signed-in' | 'needs-reauth' | 'signed-out';

/** What the UI and `accounts --json` show of a mailbox's sign-in. No token, ever. */
export interface AccountState {
  readonly mailbox: AccountId;
  readonly status: AccountStatus;
  readonly provider: ProviderKind | null;
  readonly username: string | null;
  /** ISO time of the last successful sign-in or silent refresh. */
  readonly lastRefreshedAt: string | null;
  /** Why the account needs re-authentication (a red cross with this reason). */
  readonly reason: AppError | null;
}

/** While a sign-in waits for the user: the link, so the user can copy it or open it in their browser. */
export interface SignInProgress {
  readonly mailbox: AccountId;
  readonly url: string;
  readonly via: SignInVia;
}
