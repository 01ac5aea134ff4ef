import type { z } from 'zod';
import { authMethods, securityModes } from '../../shared/mail-server';
import { inboxSettingsSchema } from '../../shared/inbox';
import { sendDirectSettingsSchema } from '../../shared/send-direct';

/**
 * The mailboxes the settings file holds, by id, each with two schemas: zod for what the values mean (a host
 * that is a host), checked on every read and write, and JSON Schema for the file's shape, which refuses
 * unknown properties so that no password or token can ever land in the file. Send Direct is an SMTP
 * connection with a sender; each inbox an IMAP connection with the activity type of its records.
 */

/** A mail server connection as stored: types and bounds. Every mailbox's entry starts from these. */
export const connectionJsonProperties = {
  serverName: { type: 'string', maxLength: 253 },
  userName: { type: 'string', maxLength: 254 },
  authMethod: { type: 'string', enum: [...authMethods] },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  security: { type: 'string', enum: [...securityModes] },
  allowInsecureAuth: { type: 'boolean' },
} as const;

export const connectionJsonRequired = ['serverName', 'userName', 'authMethod', 'port', 'security'] as const;

/** An inbox's entry: the IMAP connection and the activity type its records get (no password, ever). */
const inboxJson = {
  type: 'object',
  additionalProperties: false,
  required: [...connectionJsonRequired, 'recordType'],
  properties: {
    ...connectionJsonProperties,
    // An Office 365 shared mailbox the inbox reads with the member's sign-in (absent: the Username's own).
    sharedMailbox: { type: 'string', maxLength: 254 },
    recordType: { type: 'string', minLength: 1, maxLength: 60 },
    // The folder emptied (absent: INBOX).
    folder: { type: 'string', minLength: 1, maxLength: 255 },
    // "Check for new mail every N minutes" (absent: 5) and "Leave messages on the server" (absent: off).
    checkEveryMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
    keepOnServer: { type: 'boolean' },
    // Service Desk: acknowledge each new case to its sender (absent: off).
    acknowledgeNewCases: { type: 'boolean' },
  },
} as const;

export const storedMailboxes = {
  send: {
    schema: sendDirectSettingsSchema,
    json: {
      type: 'object',
      additionalProperties: false,
      required: [...connectionJsonRequired, 'senderName', 'senderAddress'],
      properties: {
        ...connectionJsonProperties,
        senderName: { type: 'string', maxLength: 100 },
        senderAddress: { type: 'string', maxLength: 254 },
      },
    },
  },
  lead: { schema: inboxSettingsSchema, json: inboxJson },
  serviceDesk: { schema: inboxSettingsSchema, json: inboxJson },
} as const;

/** The mailboxes whose settings are stored. */
export type StoredMailboxId = keyof typeof storedMailboxes;
export const storedMailboxIds = Object.keys(storedMailboxes) as StoredMailboxId[];

/** A mailbox's settings, as its zod schema outputs them. */
export type MailboxSettingsOf<Id extends StoredMailboxId> = z.output<(typeof storedMailboxes)[Id]['schema']>;

export type StoredMailboxes = { [Id in StoredMailboxId]?: MailboxSettingsOf<Id> };
