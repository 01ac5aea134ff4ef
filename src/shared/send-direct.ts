import { z } from 'zod';
import { isValidEmail } from './address-validation';
import {
  mailServerFields,
  mailServerLabels,
  mailProtocolFacts,
  requireUserName,
  type AuthMethod,
  type SecurityMode,
} from './mail-server';

/**
 * Send Direct: the outgoing mail settings of seed 000, an SMTP connection (mail-server.ts) with a sender.
 * Field names are the app's; the labels shown to users are in `sendDirectLabels` so that the form, the
 * validation messages and the CLI agree.
 */

// The renderer's Send Direct section still imports these from here; it moves to renderer/mail-account/
// (issue 11, step 0), which imports them from their own modules.
export { authMethodLabels, authMethods, passwordChangeSchema, passwordForNewServer, sameSecretDestination, securityLabels, securityModes } from './mail-server';
export type { AuthMethod, PasswordChange, SecurityMode } from './mail-server';
export { isValidEmail } from './address-validation';
export { fieldErrorsOf } from './field-errors';

/** Outgoing servers of the providers Modern Authentication signs in to (providers.md). */
export const knownProviderServers: Readonly<Partial<Record<AuthMethod, { readonly serverName: string; readonly port: number; readonly security: SecurityMode }>>> = {
  'oauth-office365': { serverName: 'smtp.office365.com', port: 587, security: 'starttls' },
  'oauth-google': { serverName: 'smtp.gmail.com', port: 465, security: 'tls' },
};

export const sendDirectLabels = {
  serverName: mailServerLabels.serverName,
  senderName: 'Sender Name',
  senderAddress: 'Sender Email Address',
  userName: mailServerLabels.userName,
  password: mailServerLabels.password,
  authMethod: mailServerLabels.authMethod,
  port: 'Outgoing server port number',
  security: mailServerLabels.security,
  allowInsecureAuth: mailServerLabels.allowInsecureAuth,
} as const;

export type SendDirectField = keyof typeof sendDirectLabels;

const trimmed = z.string().transform((s) => s.trim());
const smtpConnection = mailServerFields('smtp');

/** The non-secret Send Direct settings, as stored and as edited: the SMTP connection and the sender, in the form's order. */
export const sendDirectSettingsSchema = z
  .object({
    serverName: smtpConnection.serverName,
    senderName: trimmed.pipe(
      z
        .string()
        .min(1, 'Enter the name your recipients should see, for example your name or your company’s.')
        .max(100, 'The Sender Name is too long: keep it under 100 characters.'),
    ),
    senderAddress: trimmed.pipe(
      z
        .string()
        .min(1, 'Enter the email address your messages are sent from.')
        .refine(isValidEmail, 'This is not an email address. It should look like name@example.com.'),
    ),
    userName: smtpConnection.userName,
    authMethod: smtpConnection.authMethod,
    port: smtpConnection.port,
    security: smtpConnection.security,
    allowInsecureAuth: smtpConnection.allowInsecureAuth,
  })
  .strict()
  .superRefine(requireUserName);

export type SendDirectSettingsInput = z.input<typeof sendDirectSettingsSchema>;
export type SendDirectSettings = z.output<typeof sendDirectSettingsSchema>;

/** What the renderer learns of the Send Direct section: the settings, and whether a password is stored. */
export interface SendDirectView {
  readonly settings: SendDirectSettings | null;
  readonly passwordStored: boolean;
  /**
   * The settings used to send the password without encryption and Mail Settings switched them to
   * STARTTLS (settings format 3.0.0): the form says so until the user saves.
   */
  readonly encryptionTurnedOn: boolean;
}

export const defaultSendDirectSettings: SendDirectSettingsInput = {
  serverName: '',
  senderName: '',
  senderAddress: '',
  userName: '',
  authMethod: 'password',
  port: mailProtocolFacts.smtp.ports.starttls,
  security: mailProtocolFacts.smtp.defaultSecurity,
  allowInsecureAuth: false,
};
