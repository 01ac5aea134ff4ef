import { z } from 'zod';
import { isValidEmail } from './address-validation';
import type { AppError } from './errors';
import { authMethodLabels, defaultConnection, mailServerFields, mailServerLabels, requireUserName, type AuthMethod } from './mail-server';
import { inboxIds, mailboxCliNames, mailboxNames, type InboxId } from './mailboxes';
import type { RetrievedBy } from './retrieved-by';

/**
 * Lead Inbox and Service Desk Inbox (seed 000): an IMAP mailbox that is emptied into CRM records. Each
 * inbox's settings are an IMAP connection (mail-server.ts) and the activity type its records get. What the
 * renderer's dialogs, the IPC contract and the CLI share.
 */

export { inboxIds, type InboxId } from './mailboxes';

/** The dialogs' titles, as in seed 000. */
export const inboxDialogTitles: Readonly<Record<InboxId, string>> = {
  lead: 'Configure Lead Inbox Processing',
  serviceDesk: 'Configure Service Desk Inbox Processing',
};

/** The activity type a new inbox's records get: seed 000's "Web Lead", and "Service Desk" for cases. */
export const defaultRecordTypes: Readonly<Record<InboxId, string>> = {
  lead: 'Web Lead',
  serviceDesk: 'Service Desk',
};

/** The dialog's labels (seed 000), shared by the form, its messages and the CLI. */
export const inboxLabels = {
  serverName: 'Mail Server',
  security: 'Use SSL',
  port: 'Port',
  userName: 'Username',
  password: mailServerLabels.password,
  authMethod: mailServerLabels.authMethod,
  allowInsecureAuth: mailServerLabels.allowInsecureAuth,
  sharedMailbox: 'Shared mailbox address',
  recordType: 'Type',
  folder: 'Folder',
  checkEveryMinutes: 'Check for new mail every (minutes)',
  keepOnServer: 'Leave messages on the server',
} as const;

export type InboxField = keyof typeof inboxLabels;

/** Seed 000's sentence above the Type dropdown. */
export const recordCreationText = 'When a web submission is processed, an Activity note will be generated using the Type selected below:';

/** Seed 000's important note, shown in both dialogs. */
export const retrievalEmptiesMailboxWarning =
  'Retrieval empties the mailbox on the server: every message is removed once it is kept as a record. Use a generic mailbox such as sales@yourcompany.com or support@yourcompany.com, never your personal one, and let only one installation of Legrand CRM read it.';

/** Seed 002's words for a Test Connection that connected, secured and signed in. */
export const inboxConnectionSucceeded = 'We were able to connect to your mailbox.';

function isControlCharacter(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f;
}

/** An activity type's name, as typed in the Type manager or the CLI's --record-type. */
export const activityTypeNameSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'Enter a name for the activity type, for example Web Lead.')
      .max(60, 'The type name is too long: keep it under 60 characters.')
      .refine((name) => ![...name].some(isControlCharacter), 'The type name cannot contain line breaks or control characters.'),
  );

const imapConnection = mailServerFields('imap');

/**
 * Office 365 shared mailboxes (sales@, support@) have no password or sign-in of their own: a member with
 * Full Access signs in, and IMAP opens the shared address with the member's token (SASL XOAUTH2 `user=`
 * the shared address; Microsoft Learn, "Authenticate an IMAP, POP or SMTP connection using OAuth").
 */
export const sharedMailboxOption = 'This is a shared mailbox';

/** The dialog's sentence under the option. */
export const sharedMailboxExplanation =
  'Shared mailboxes such as sales@ or support@ have no password of their own. Sign in as a member with Full Access to the shared mailbox: the inbox then reads the shared address with your sign-in.';

/** Only Office 365 opens another mailbox with a member's token; Gmail's token opens its own account only. */
export const sharedMailboxAuthMethod: AuthMethod = 'oauth-office365';

const sharedMailboxAddress = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'Enter the address of the shared mailbox, for example sales@yourcompany.com.')
      .refine(isValidEmail, 'This is not an email address. It should look like sales@yourcompany.com.'),
  );

/** A shared mailbox is read with an Office 365 member's sign-in, and the member is someone else. */
function checkSharedMailbox(value: { readonly sharedMailbox?: string | undefined; readonly userName: string; readonly authMethod: AuthMethod }, ctx: z.RefinementCtx): void {
  if (value.sharedMailbox === undefined) return;
  if (value.authMethod !== sharedMailboxAuthMethod) {
    ctx.addIssue({
      code: 'custom',
      path: ['sharedMailbox'],
      message: `A shared mailbox is read with “${authMethodLabels[sharedMailboxAuthMethod]}”: choose it as the ${inboxLabels.authMethod}.`,
    });
  } else if (value.userName.toLowerCase() === value.sharedMailbox.toLowerCase()) {
    ctx.addIssue({
      code: 'custom',
      path: ['userName'],
      message: 'Enter the address of the member who signs in: the shared mailbox has no sign-in of its own.',
    });
  }
}

/** The app checks each inbox this often unless its settings say otherwise (seed 000's scheduled processing). */
export const defaultCheckEveryMinutes = 5;

/** From every minute to once a day. */
export const checkEveryMinutesSchema = z
  .number({ message: 'Enter a number of minutes, from 1 to 1440.' })
  .int('Enter a whole number of minutes, from 1 to 1440.')
  .min(1, 'Check at most every minute: enter 1 or more.')
  .max(1440, 'Check at least once a day: enter 1440 or less.');

/** The interval an inbox is checked at, in minutes. */
export function checkEveryMinutesOf(settings: Pick<InboxSettings, 'checkEveryMinutes'>): number {
  return settings.checkEveryMinutes ?? defaultCheckEveryMinutes;
}

/** The folder an inbox reads when its settings name none: every IMAP account has it (RFC 3501 5.1). */
export const defaultFolder = 'INBOX';

/** Seed-style help under the Folder field. */
export const folderHelp = 'Usually INBOX. Enter another folder only if a rule on the server files this mail there, for example Web Leads.';

/** A folder's name as the server lists it (hierarchy with its own separator, e.g. INBOX/Web Leads or INBOX.Leads). */
export const folderSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, `Enter the folder to read, usually ${defaultFolder}.`)
      .max(255, 'The folder name is too long: keep it under 255 characters.')
      .refine((name) => ![...name].some(isControlCharacter), 'The folder name cannot contain line breaks or control characters.'),
  );

/** The folder an inbox empties. */
export function folderOf(settings: Pick<InboxSettings, 'folder'>): string {
  return settings.folder ?? defaultFolder;
}

/** An inbox's non-secret settings, as stored and as edited: the IMAP connection, then the record type. */
export const inboxSettingsSchema = z
  .object({
    serverName: imapConnection.serverName,
    userName: imapConnection.userName,
    authMethod: imapConnection.authMethod,
    port: imapConnection.port,
    security: imapConnection.security,
    allowInsecureAuth: imapConnection.allowInsecureAuth,
    /** The shared mailbox's address when the inbox is one (sharedMailboxOption); the Username is then the member's. */
    sharedMailbox: sharedMailboxAddress.optional(),
    recordType: activityTypeNameSchema,
    /** The mailbox folder emptied: INBOX unless a rule files the mail elsewhere. Absent: INBOX. */
    folder: folderSchema.optional(),
    /** "Check for new mail every N minutes" while the app runs; absent: every 5 minutes. */
    checkEveryMinutes: checkEveryMinutesSchema.optional(),
    /** "Leave messages on the server": import only mail above the mailbox counter, never remove any. Absent: off. */
    keepOnServer: z.boolean({ message: 'Choose on or off.' }).optional(),
    /**
     * Service Desk: "Send an acknowledgement to whoever opens a case" (through Send Direct), at most once an
     * hour per sender, never to an auto-reply or to our own address. Absent: off.
     */
    acknowledgeNewCases: z.boolean().optional(),
  })
  .strict()
  .superRefine(requireUserName)
  .superRefine(checkSharedMailbox);

export type InboxSettingsInput = z.input<typeof inboxSettingsSchema>;
export type InboxSettings = z.output<typeof inboxSettingsSchema>;

/** The mailbox an inbox reads: the shared address, or the Username's own. */
export function mailboxReadBy(settings: Pick<InboxSettings, 'userName' | 'sharedMailbox'>): string {
  return settings.sharedMailbox ?? settings.userName;
}

/** A new inbox's form: password sign-in over SSL/TLS on 993, and the inbox's default type. */
export function defaultInboxSettings(inbox: InboxId): InboxSettingsInput {
  return { ...defaultConnection('imap'), recordType: defaultRecordTypes[inbox] };
}

/** How a run ended, for the dialog ("12 records created", or the error with its fix). */
export interface InboxRunSummary {
  readonly inbox: InboxId;
  /** ISO time the run ended. */
  readonly finishedAt: string;
  /** New records made by the run (0 when it failed before storing anything). */
  readonly retrieved: number;
  /** Messages found kept already by an earlier run that stopped before removing them from the server. */
  readonly alreadyStored: number;
  /** Messages removed from the server. */
  readonly expunged: number;
  /** Kept messages left marked deleted on the server, removed by a later run (servers without UIDPLUS). */
  readonly leftForLaterExpunge: number;
  /** Messages another program marked deleted: neither kept nor removed. */
  readonly skippedDeletedByOthers: number;
  /** Messages left on the server because they could not be kept (too large, a refused fetch); absent in runs before issue 13. */
  readonly notImported?: number;
  /** Things to know although the run succeeded (another program empties the mailbox …). */
  readonly warnings: readonly AppError[];
  /** Why the run failed; null when it succeeded. */
  readonly error: AppError | null;
}

/** What the renderer learns of an inbox. No password, ever: only whether one is stored. */
export interface InboxView {
  readonly inbox: InboxId;
  readonly settings: InboxSettings | null;
  readonly passwordStored: boolean;
  /** Settings a migration moved from None to STARTTLS: the form says so until the user saves. */
  readonly encryptionTurnedOn?: boolean;
  /** Shown in the dialog: the user name is Send Direct's (a personal mailbox?), both inboxes read one mailbox … */
  readonly warnings: readonly AppError[];
  /** The last retrieval of this inbox (from the app, the CLI or a scheduled run); null before the first. */
  readonly lastRun?: InboxRunSummary | null;
  /** On a records database several installations share: which one empties this mailbox (null: none yet, or not shared). */
  readonly retrievedBy?: RetrievedBy | null;
}

/** While "Check now" (or another run in this process) empties an inbox. */
export interface InboxRetrievalProgress {
  readonly inbox: InboxId;
  /** Listing the mailbox, keeping messages as records, or removing kept messages from the server. */
  readonly phase: 'listed' | 'storing' | 'removing';
  /** Messages in the mailbox when the run listed it. */
  readonly total: number;
  /** Records made so far by this run. */
  readonly retrieved: number;
  /** Bytes downloaded so far by this run (absent: not told). */
  readonly downloadedBytes?: number;
}

/**
 * A mailbox that already holds mail when its inbox is first saved: the dialog says how much, since when,
 * and asks what to do with it.
 */
export type FirstConnection = { readonly holdsMail: false } | { readonly holdsMail: true; readonly count: number; readonly oldest: string | null };

/** The two answers to a mailbox that already holds mail. */
export const firstConnectionChoices = { importAll: 'Import all', fromNow: 'Only mail arriving from now on' } as const;

/** An activity type in the Type manager (the gear beside the Type dropdown). */
export interface ActivityTypeView {
  readonly id: number;
  readonly name: string;
  /** Retired: kept for the records that have it, no longer offered for new ones. */
  readonly retired: boolean;
  /** Records (or an inbox's settings) use it, so it is retired rather than deleted. */
  readonly inUse: boolean;
}

/** What a web-form submission said, by meaning (English, French and German keys map here). */
export interface InboxRecordFields {
  readonly name?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly company?: string;
  readonly message?: string;
}

export interface InboxRecordAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

/**
 * A message left on the server because it could not be kept (issue 13's quarantine): larger than the size
 * limit, or a fetch the server refused. It never holds up the messages after it, and is imported on its
 * own once its cause goes.
 */
export interface InboxQuarantineEntry {
  readonly inbox: InboxId;
  /** The folder it is in, and its identity there (RFC 3501 2.3.1.1). */
  readonly mailbox: string;
  readonly uidValidity: number;
  readonly uid: number;
  /** RFC822.SIZE as the server stated it; null when it was not known. */
  readonly size: number | null;
  readonly reason: 'tooLarge' | 'fetchFailed';
  /** The server's words, for a refused fetch. */
  readonly detail: string | null;
  /** Runs that found it so far. */
  readonly attempts: number;
  readonly firstSeenAt: string;
  readonly lastAttemptAt: string;
  /** A refused fetch is not tried again before this time (exponential back-off). */
  readonly nextRetryAt: string;
}

/** One row of an inbox's records view. */
export interface InboxRecordSummary {
  readonly id: number;
  readonly inbox: InboxId;
  /** The activity type of a Lead Inbox note; null for a Service Desk case. */
  readonly type: string | null;
  readonly messageId: string | null;
  readonly subject: string;
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  /** The message's Date header (ISO), or null when it had none. */
  readonly date: string | null;
  readonly retrievedAt: string;
  readonly fields: InboxRecordFields;
  readonly caseId: number | null;
  /** The note's owner, set by the Email Integration alias it came through; null when none. */
  readonly owner: string | null;
  /** The case's queue, set by the Email Integration alias it came through; null when none. */
  readonly queue: string | null;
  /** `[Case #123]` for a Service Desk case. */
  readonly caseReference: string | null;
  /**
   * Service Desk: what the message is to its case: it opened it, replies to it, or is an auto-reply or a
   * report (a bounce) that joins it (or no case) without ever opening one. Null for a Lead Inbox note.
   */
  readonly threadRole: 'opened' | 'reply' | 'auto-reply' | null;
  /** How a reply found its case: its In-Reply-To, its References, or the `[Case #n]` tag in its subject. */
  readonly matchedBy: 'in-reply-to' | 'references' | 'subject' | null;
  /** Joined its case by the subject's tag alone, from a sender the case had not seen: worth checking. */
  readonly flagged: boolean;
  /** Why it was taken for an auto-reply or a report, e.g. "Auto-Submitted: auto-replied". */
  readonly automatedBecause: string | null;
  /** Why the message could not be fully read; it is kept raw all the same. */
  readonly parseError: string | null;
  /** sha256 (hex) of the exact bytes the server served, and their size. */
  readonly rawSha256: string;
  readonly rawSize: number;
  readonly attachments: readonly InboxRecordAttachment[];
}

/** One record opened: its bodies and the original message ("view source"). */
export interface InboxRecordDetail extends InboxRecordSummary {
  readonly text: string;
  /**
   * The HTML body as the sender wrote it, never cleaned up: the renderer shows it only in a sandboxed
   * frame without scripts or remote content.
   */
  readonly html: string | null;
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  /** The original message as text (UTF-8, undecodable bytes replaced), up to `rawSourceLimit` bytes. */
  readonly rawSource: string;
  readonly rawSourceTruncated: boolean;
  /** Service Desk: every message of the record's case, oldest first (this one included); empty for no case. */
  readonly caseThread: readonly InboxRecordSummary[];
}

/** "View source" shows this much of a message; the CLI's `records raw` gives all of it, byte for byte. */
export const rawSourceLimit = 2 * 1024 * 1024;

/** How an inbox is named on the command line. */
export const inboxCliNames: Readonly<Record<InboxId, string>> = { lead: mailboxCliNames.lead, serviceDesk: mailboxCliNames.serviceDesk };

export function inboxOfCliName(name: string): InboxId | null {
  return inboxIds.find((inbox) => inboxCliNames[inbox] === name) ?? null;
}

export function inboxName(inbox: InboxId): string {
  return mailboxNames[inbox];
}
