import { z } from 'zod';

/**
 * Send Direct: the outgoing mail settings of seed 000. Field names are the app's; the labels shown to
 * users are in `sendDirectLabels` so that the form, the validation messages and the CLI agree.
 */
export const authMethods = ['password', 'oauth-office365', 'oauth-google'] as const;
export type AuthMethod = (typeof authMethods)[number];

export const authMethodLabels: Readonly<Record<AuthMethod, string>> = {
  password: 'Normal Password (basic authentication)',
  'oauth-office365': 'Modern Authentication (OAuth 2.0) - Office 365',
  'oauth-google': 'Modern Authentication (OAuth 2.0) - Google',
};

export const securityModes = ['none', 'starttls', 'tls'] as const;
export type SecurityMode = (typeof securityModes)[number];

export const securityLabels: Readonly<Record<SecurityMode, string>> = {
  none: 'None',
  starttls: 'STARTTLS',
  tls: 'SSL/TLS',
};

/** Outgoing servers of the providers Modern Authentication signs in to (providers.md). */
export const knownProviderServers: Readonly<Partial<Record<AuthMethod, { readonly serverName: string; readonly port: number; readonly security: SecurityMode }>>> = {
  'oauth-office365': { serverName: 'smtp.office365.com', port: 587, security: 'starttls' },
  'oauth-google': { serverName: 'smtp.gmail.com', port: 465, security: 'tls' },
};

export const sendDirectLabels = {
  serverName: 'Server Name (or IP address)',
  senderName: 'Sender Name',
  senderAddress: 'Sender Email Address',
  userName: 'User Name',
  password: 'Password',
  authMethod: 'Authentication method',
  port: 'Outgoing server port number',
  security: 'SSL',
  allowInsecureAuth: 'Allow sending my password without encryption',
} as const;

export type SendDirectField = keyof typeof sendDirectLabels;

// A host name (RFC 1123 labels) or an IPv4 address, or a bracketed/plain IPv6 address.
const hostNamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const ipv6Pattern = /^\[?[0-9a-f:]+(%[a-z0-9]+)?\]?$/i;
// Deliberately simple: one @, something on each side, a dot in the domain, no spaces.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isValidHost(value: string): boolean {
  if (ipv4Pattern.test(value)) return true;
  if (value.includes(':')) return ipv6Pattern.test(value);
  // A dotted quad that failed the IPv4 test is a bad address, not a host name.
  if (/^[\d.]+$/.test(value)) return false;
  return hostNamePattern.test(value);
}

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && emailPattern.test(value);
}

const trimmed = z.string().transform((s) => s.trim());

/** The non-secret Send Direct settings, as stored and as edited. */
export const sendDirectSettingsSchema = z
  .object({
    serverName: trimmed.pipe(
      z
        .string()
        .min(1, 'Enter the name or IP address of your outgoing mail server, for example smtp.office365.com.')
        .refine(isValidHost, 'This is not a server name or IP address. Use a name like smtp.example.com, without http:// or spaces.'),
    ),
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
    userName: trimmed.pipe(z.string().max(254, 'The User Name is too long: keep it under 255 characters.')),
    authMethod: z.enum(authMethods, { error: 'Choose an authentication method from the list.' }),
    port: z.coerce
      .number({ error: 'Enter the port number as digits, for example 587.' })
      .int('Enter the port number as a whole number, for example 587.')
      .min(1, 'The port number must be between 1 and 65535. Most servers use 587 or 465.')
      .max(65535, 'The port number must be between 1 and 65535. Most servers use 587 or 465.'),
    security: z.enum(securityModes, { error: 'Choose None, STARTTLS or SSL/TLS.' }),
    /** The user's explicit "yes" to a password or token in clear text; it means something only with None. */
    allowInsecureAuth: z.boolean({ error: 'Tick the box or leave it empty.' }).default(false),
  })
  .strict()
  .superRefine((value, ctx) => {
    // Signing in needs a user name, whatever the method: the server has to know who is signing in.
    if (value.userName.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['userName'],
        message:
          value.authMethod === 'password'
            ? 'Enter the user name for your mail server, usually your email address.'
            : 'Enter the email address of the mailbox you sign in with.',
      });
    }
  });

export type SendDirectSettingsInput = z.input<typeof sendDirectSettingsSchema>;
export type SendDirectSettings = z.output<typeof sendDirectSettingsSchema>;

/** What a password field asks of the keychain on Save. */
export const passwordChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keep') }).strict(),
  z.object({
    kind: z.literal('set'),
    value: z
      .string()
      .min(1, 'Enter the password for your mail server.')
      .max(1024, 'The password is too long: keep it under 1024 characters.'),
  }).strict(),
  z.object({ kind: z.literal('clear') }).strict(),
]);
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

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
  port: 587,
  security: 'starttls',
  allowInsecureAuth: false,
};

/** True when the connection would carry a password or token in clear text without the user's explicit yes. */
export function sendsSecretsInClear(settings: Pick<SendDirectSettings, 'security' | 'allowInsecureAuth'>): boolean {
  return settings.security === 'none' && !settings.allowInsecureAuth;
}

/**
 * Where a stored password goes: a password saved for one server, port, user and method is sent to that
 * destination only. Any change of these and the user enters the password again, so a typo in the server
 * name (or a tricked user) never hands the stored password to a stranger.
 */
export type SecretDestination = Pick<SendDirectSettings, 'serverName' | 'port' | 'userName' | 'authMethod'>;

function canonicalHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

export function sameSecretDestination(a: SecretDestination, b: SecretDestination): boolean {
  return (
    canonicalHost(a.serverName) === canonicalHost(b.serverName) &&
    Number(a.port) === Number(b.port) &&
    a.userName.trim() === b.userName.trim() &&
    a.authMethod === b.authMethod
  );
}

export const passwordForNewServer = 'Enter the password for the new server.';

/** Turns a zod error into one plain sentence per field. The first problem of a field wins. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    errors[field] ??= issue.message;
  }
  return errors;
}
