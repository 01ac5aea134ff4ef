import { z } from 'zod';
import { authMethods, type AuthMethod } from './mail-server';
import type { AppError } from './errors';
import type { RetrievedBy } from './retrieved-by';

/**
 * System Admin › Email Integration (issue 15, seed 002): the mailbox credentials the app holds, and the
 * aliases that route each message arriving in an integration mailbox to a record target. Field labels are
 * seed 002's.
 */

export const integrationLabels = {
  mailbox: 'Mailbox',
  password: 'Password',
  host: 'Host',
  port: 'Port',
  secure: 'Use Secure Connection',
  configurationName: 'Configuration Name',
  description: 'Description',
  authMethod: 'Authentication method',
} as const;

/** Most IMAP providers use 993 (IMAP over TLS, RFC 8314), so the form starts there. */
export const defaultIntegrationPort = 993;

const emailAddress = z
  .string()
  .trim()
  .min(1, 'Enter the mailbox’s email address.')
  .max(254, 'This email address is too long.')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'This is not an email address. It should look like sales@yourcompany.com.')
  // Email addresses are case-insensitive (seed 002): one spelling is kept.
  .transform((value) => value.toLowerCase());

/** A credential's settings as the form sends them (the password travels separately, as a PasswordChange). */
export const integrationSettingsSchema = z
  .object({
    mailbox: emailAddress,
    host: z
      .string()
      .trim()
      .min(1, 'Enter the IMAP mail host of the provider, for example outlook.office365.com.')
      .max(253, 'This host name is too long.')
      .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:.]+\]?$/, 'This is not a host name. Use a name like imap.yourprovider.com, without http:// or spaces.'),
    port: z.coerce
      .number({ error: 'Enter the port as digits, for example 993.' })
      .int('Enter the port as a whole number, for example 993.')
      .min(1, 'The port must be between 1 and 65535. Most IMAP providers use 993.')
      .max(65535, 'The port must be between 1 and 65535. Most IMAP providers use 993.'),
    secure: z.boolean({ error: 'Tick the box or leave it empty.' }),
    configurationName: z.string().trim().min(1, 'Enter a Configuration Name: it is how this mailbox is shown in lists.').max(100, 'Keep the Configuration Name under 100 characters.'),
    description: z.string().trim().min(1, 'Enter a short description of this credential.').max(500, 'Keep the Description under 500 characters.'),
    authMethod: z.enum(authMethods, { error: 'Choose an authentication method from the list.' }),
  })
  .strict();
export type IntegrationSettingsInput = z.input<typeof integrationSettingsSchema>;
export type IntegrationSettings = z.output<typeof integrationSettingsSchema>;

/** An added mailbox's generated id (12 hex digits), or a built-in one (`send`, `lead`, `serviceDesk`). */
export const integrationIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'Unknown integration mailbox.');

/** One row of the Email Integration dashboard. No password, ever: only whether one is stored. */
export interface IntegrationCredentialView {
  /** `send`, `lead`, `serviceDesk` for the built-in mailboxes; a generated id for added ones. */
  readonly id: string;
  readonly kind: 'sendDirect' | 'leadInbox' | 'serviceDeskInbox' | 'integration';
  readonly configurationName: string;
  readonly mailbox: string;
  readonly host: string;
  readonly authMethod: AuthMethod;
  /** Full settings of an added integration mailbox; null for the built-in ones (edited in their own dialogs). */
  readonly settings: IntegrationSettings | null;
  readonly hasPassword: boolean;
  /** Green tick / red cross and why: the last retrieval or test; null when never checked. */
  readonly status: { readonly ok: boolean; readonly at: string; readonly error: AppError | null } | null;
  /** ISO time of the last successful fetch; null when none yet. */
  readonly lastSuccessAt: string | null;
  /** No success for 3 check intervals. */
  readonly stale: boolean;
  /** The aliases that route mail through this credential. */
  readonly aliasCount: number;
  /** On a records database several installations share: which one empties this mailbox (absent: not shared, or Send Direct). */
  readonly retrievedBy?: RetrievedBy | null;
}

export const aliasTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('lead'),
      activityType: z.string().trim().min(1, 'Choose the activity type of the notes.').max(100),
      owner: z.string().trim().max(254, 'The owner is too long.').default(''),
    })
    .strict(),
  z
    .object({
      kind: z.literal('serviceDesk'),
      queue: z.string().trim().min(1, 'Enter the case queue, for example Support.').max(100, 'Keep the queue under 100 characters.'),
    })
    .strict(),
]);
export type AliasTarget = z.output<typeof aliasTargetSchema>;

export const aliasInputSchema = z
  .object({
    /** The address a message is delivered to (To / Delivered-To), e.g. sales+web@example.com. */
    address: emailAddress,
    /** The integration mailbox the mail arrives in. */
    credentialId: integrationIdSchema,
    target: aliasTargetSchema,
  })
  .strict();
export type AliasInput = z.input<typeof aliasInputSchema>;

export interface AliasView {
  readonly id: string;
  readonly address: string;
  readonly credentialId: string;
  readonly target: AliasTarget;
  /** The credential's own address: created with it, deleted with it. */
  readonly isDefault: boolean;
}
