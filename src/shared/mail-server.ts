import { z } from 'zod';
import { isValidHost } from './address-validation';

/**
 * A connection to a mail server, whatever it is used for: Send Direct's SMTP server, an inbox's IMAP server.
 * Host, port, security, user name, how to sign in, and whether a secret may cross the network in clear text.
 * Each mailbox's settings are this connection plus what the mailbox itself needs (a sender, a record type).
 */
export const mailProtocols = ['smtp', 'imap'] as const;
export type MailProtocol = (typeof mailProtocols)[number];

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

/** The labels of the connection's fields, shared by every mailbox's form, its messages and the CLI. */
export const mailServerLabels = {
  serverName: 'Server Name (or IP address)',
  userName: 'User Name',
  password: 'Password',
  authMethod: 'Authentication method',
  security: 'SSL',
  allowInsecureAuth: 'Allow sending my password without encryption',
} as const;

/** What the words and defaults of a connection depend on: which protocol it speaks. */
export interface MailProtocolFacts {
  /** The server as the user knows it: their outgoing (SMTP) or incoming (IMAP) mail server. */
  readonly direction: 'outgoing' | 'incoming';
  readonly exampleHost: string;
  /** Two well-known servers, for "check the spelling" advice. */
  readonly exampleHosts: readonly [string, string];
  /** The shape of a host name, for "use a name like …". */
  readonly hostPattern: string;
  /** The standard port of each secured mode. */
  readonly ports: { readonly starttls: number; readonly tls: number };
  /** The security a new connection starts with; its port is the usual first choice. */
  readonly defaultSecurity: 'starttls' | 'tls';
  /** Ports that expect a plain start (then STARTTLS), not TLS from the first byte. */
  readonly plainStartPorts: readonly number[];
  /** What a firewall would block, in words. */
  readonly firewallPorts: string;
}

export const mailProtocolFacts: Readonly<Record<MailProtocol, MailProtocolFacts>> = {
  // RFC 8314 §3.3: submission over implicit TLS on 465; RFC 6409: submission with STARTTLS on 587; 25 is relay.
  smtp: {
    direction: 'outgoing',
    exampleHost: 'smtp.office365.com',
    exampleHosts: ['smtp.office365.com', 'smtp.gmail.com'],
    hostPattern: 'smtp.example.com',
    ports: { starttls: 587, tls: 465 },
    defaultSecurity: 'starttls',
    plainStartPorts: [587, 25],
    firewallPorts: 'outgoing mail ports',
  },
  // RFC 8314 §3.2 and §5.1: IMAP over implicit TLS on 993 (preferred); RFC 3501 §6.2.1: STARTTLS on 143.
  imap: {
    direction: 'incoming',
    exampleHost: 'outlook.office365.com',
    exampleHosts: ['outlook.office365.com', 'imap.gmail.com'],
    hostPattern: 'imap.example.com',
    ports: { starttls: 143, tls: 993 },
    defaultSecurity: 'tls',
    plainStartPorts: [143],
    firewallPorts: 'mail ports',
  },
};

/** The usual port first, then the other secured one: "587 or 465", "993 or 143". */
export function usualPorts(protocol: MailProtocol): readonly [number, number] {
  const { ports, defaultSecurity } = mailProtocolFacts[protocol];
  return defaultSecurity === 'tls' ? [ports.tls, ports.starttls] : [ports.starttls, ports.tls];
}

const trimmed = z.string().transform((s) => s.trim());

/**
 * The connection's fields, each with its plain-words messages for this protocol. Mailboxes build their
 * schema from these (in the order their form shows them) and add `requireUserName`.
 */
export function mailServerFields(protocol: MailProtocol) {
  const facts = mailProtocolFacts[protocol];
  const [usual, other] = usualPorts(protocol);
  const portRange = `The port number must be between 1 and 65535. Most servers use ${usual} or ${other}.`;
  return {
    serverName: trimmed.pipe(
      z
        .string()
        .min(1, `Enter the name or IP address of your ${facts.direction} mail server, for example ${facts.exampleHost}.`)
        .refine(isValidHost, `This is not a server name or IP address. Use a name like ${facts.hostPattern}, without http:// or spaces.`),
    ),
    userName: trimmed.pipe(z.string().max(254, 'The User Name is too long: keep it under 255 characters.')),
    authMethod: z.enum(authMethods, { error: 'Choose an authentication method from the list.' }),
    port: z.coerce
      .number({ error: `Enter the port number as digits, for example ${usual}.` })
      .int(`Enter the port number as a whole number, for example ${usual}.`)
      .min(1, portRange)
      .max(65535, portRange),
    security: z.enum(securityModes, { error: 'Choose None, STARTTLS or SSL/TLS.' }),
    /** The user's explicit "yes" to a password or token in clear text; it means something only with None. */
    allowInsecureAuth: z.boolean({ error: 'Tick the box or leave it empty.' }).default(false),
  };
}

/** Signing in needs a user name, whatever the method: the server has to know who is signing in. */
export function requireUserName(value: { readonly userName: string; readonly authMethod: AuthMethod }, ctx: z.RefinementCtx): void {
  if (value.userName.length > 0) return;
  ctx.addIssue({
    code: 'custom',
    path: ['userName'],
    message:
      value.authMethod === 'password'
        ? 'Enter the user name for your mail server, usually your email address.'
        : 'Enter the email address of the mailbox you sign in with.',
  });
}

function connectionSchema(protocol: MailProtocol) {
  const fields = mailServerFields(protocol);
  return z.object(fields).strict().superRefine(requireUserName);
}

/** The connection alone, per protocol: what Test Connection and "Trust this certificate" need. */
export const mailServerConnectionSchemas = { smtp: connectionSchema('smtp'), imap: connectionSchema('imap') } as const;

export type MailServerConnectionInput = z.input<(typeof mailServerConnectionSchemas)['smtp']>;
export type MailServerConnection = z.output<(typeof mailServerConnectionSchemas)['smtp']>;

/** An empty connection for a new mailbox: password sign-in, on the protocol's usual security and port. */
export function defaultConnection(protocol: MailProtocol): MailServerConnectionInput {
  const { defaultSecurity, ports } = mailProtocolFacts[protocol];
  return { serverName: '', userName: '', authMethod: 'password', port: ports[defaultSecurity], security: defaultSecurity, allowInsecureAuth: false };
}

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

/** True when the connection would carry a password or token in clear text without the user's explicit yes. */
export function sendsSecretsInClear(connection: Pick<MailServerConnection, 'security' | 'allowInsecureAuth'>): boolean {
  return connection.security === 'none' && !connection.allowInsecureAuth;
}

/**
 * Where a stored password goes: a password saved for one server, port, user and method is sent to that
 * destination only. Any change of these and the user enters the password again, so a typo in the server
 * name (or a tricked user) never hands the stored password to a stranger.
 */
export type SecretDestination = Pick<MailServerConnection, 'serverName' | 'port' | 'userName' | 'authMethod'>;

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
