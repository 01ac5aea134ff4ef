import { z } from 'zod';
import type { AppError } from './errors';
import { defaultConnection, mailServerFields, mailServerLabels, requireUserName } from './mail-server';
import { inboxIds, mailboxCliNames, mailboxNames, type InboxId } from './mailboxes';

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
  recordType: 'Type',
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

/** An inbox's non-secret settings, as stored and as edited: the IMAP connection, then the record type. */
export const inboxSettingsSchema = z
  .object({
    serverName: imapConnection.serverName,
    userName: imapConnection.userName,
    authMethod: imapConnection.authMethod,
    port: imapConnection.port,
    security: imapConnection.security,
    allowInsecureAuth: imapConnection.allowInsecureAuth,
    recordType: activityTypeNameSchema,
  })
  .strict()
  .superRefine(requireUserName);

export type InboxSettingsInput = z.input<typeof inboxSettingsSchema>;
export type InboxSettings = z.output<typeof inboxSettingsSchema>;

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
}

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
  /** `[Case #123]` for a Service Desk case. */
  readonly caseReference: string | null;
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
