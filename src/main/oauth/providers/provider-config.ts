import type { Mailbox, ProviderKind, ProviderOptions } from '../../../shared/accounts';
import { ErrorCode } from '../../../shared/errors';
import { OAuthError } from '../oauth-errors';

/**
 * Facts about each provider (providers.md) as data. An admin may point a provider elsewhere with
 * configuration only: their own app registration (client id), a tenant, an issuer. The tests use exactly
 * that to point the real libraries at the local identity provider.
 */
export interface ProviderDefaults {
  readonly office365: { readonly clientId?: string; readonly tenant?: string; readonly authority?: string; readonly mailHosts?: readonly string[] };
  readonly google: {
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly issuer?: string;
    readonly mailHosts?: readonly string[];
    /** "testing" while the client id's Google Cloud project is in Testing: Google then ends every grant after 7 days. */
    readonly projectStatus?: 'testing' | 'production';
  };
  readonly oidc: { readonly clientId?: string; readonly clientSecret?: string; readonly issuer?: string; readonly mailHosts?: readonly string[] };
}

/** Reads the defaults an installation was given: environment variables, documented in the README. */
export function providerDefaultsFromEnv(env: NodeJS.ProcessEnv): ProviderDefaults {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  // Extra mail servers a provider's tokens may go to (see mail-hosts.ts): a comma-separated list of hosts.
  const hosts = (name: string): string[] | undefined => value(name)?.split(',').map((host) => host.trim()).filter(Boolean);
  return {
    office365: {
      clientId: value('MAIL_SETTINGS_OFFICE365_CLIENT_ID'),
      tenant: value('MAIL_SETTINGS_OFFICE365_TENANT'),
      authority: value('MAIL_SETTINGS_OFFICE365_AUTHORITY'),
      mailHosts: hosts('MAIL_SETTINGS_OFFICE365_MAIL_HOSTS'),
    },
    google: {
      clientId: value('MAIL_SETTINGS_GOOGLE_CLIENT_ID'),
      clientSecret: value('MAIL_SETTINGS_GOOGLE_CLIENT_SECRET'),
      issuer: value('MAIL_SETTINGS_GOOGLE_ISSUER'),
      mailHosts: hosts('MAIL_SETTINGS_GOOGLE_MAIL_HOSTS'),
      projectStatus: value('MAIL_SETTINGS_GOOGLE_PROJECT_STATUS')?.toLowerCase() === 'testing' ? 'testing' : 'production',
    },
    oidc: {
      clientId: value('MAIL_SETTINGS_OIDC_CLIENT_ID'),
      clientSecret: value('MAIL_SETTINGS_OIDC_CLIENT_SECRET'),
      issuer: value('MAIL_SETTINGS_OIDC_ISSUER'),
      mailHosts: hosts('MAIL_SETTINGS_OIDC_MAIL_HOSTS'),
    },
  };
}

export const microsoftLoginHost = 'https://login.microsoftonline.com';
export const googleIssuer = 'https://accounts.google.com';

/** Office 365: a refresh token, and the user’s address in the ID token (Microsoft Learn, "Authenticate an IMAP, POP or SMTP connection using OAuth"). */
const office365Identity = ['offline_access', 'openid', 'profile', 'email'] as const;
const office365Smtp = ['https://outlook.office.com/SMTP.Send', ...office365Identity];
const office365Imap = ['https://outlook.office.com/IMAP.AccessAsUser.All', ...office365Identity];
/** Gmail has one scope for SMTP and IMAP alike: the whole mailbox. */
const googleMail = ['https://mail.google.com/', 'openid', 'email'];
const oidcMail = ['openid', 'email', 'profile', 'offline_access'];

/**
 * Scopes per provider and mailbox: Send Direct sends (SMTP), the inboxes read (IMAP). Each mailbox signs
 * in on its own, so one token never mixes resources (an Entra token has one audience; `.default` cannot
 * be combined with named scopes, AADSTS70011), and a Send Direct token can never read an inbox.
 */
export const mailScopes: Readonly<Record<ProviderKind, Readonly<Record<Mailbox, readonly string[]>>>> = {
  office365: { send: office365Smtp, lead: office365Imap, serviceDesk: office365Imap },
  google: { send: googleMail, lead: googleMail, serviceDesk: googleMail },
  oidc: { send: oidcMail, lead: oidcMail, serviceDesk: oidcMail },
};

/** The provider settings of one sign-in, after defaults: what a provider module is built from. */
export interface ResolvedProvider {
  readonly kind: ProviderKind;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly tenant?: string;
  /** Office 365: the MSAL authority. Google/OIDC: the issuer whose discovery document gives the endpoints. */
  readonly issuer: string;
  /** True when the Office 365 provider is pointed at a plain OpenID Connect authority instead of Entra. */
  readonly genericAuthority: boolean;
  readonly loginHint?: string;
}

export function resolveProvider(options: ProviderOptions, defaults: ProviderDefaults): ResolvedProvider {
  const missingClientId = (what: string, variable: string): OAuthError =>
    new OAuthError({
      code: ErrorCode.ProviderNotConfigured,
      message: `No ${what} app registration is set up for Mail Settings, so it cannot start the sign-in.`,
      fix: `Enter the Application (client) ID of your organisation’s app registration under “Provider settings”, or ask IT to set ${variable} for this installation.`,
    });
  switch (options.kind) {
    case 'office365': {
      const clientId = options.clientId ?? defaults.office365.clientId;
      if (!clientId) throw missingClientId('Office 365', 'MAIL_SETTINGS_OFFICE365_CLIENT_ID');
      const tenant = options.tenant ?? defaults.office365.tenant ?? 'organizations';
      const authority = options.issuer ?? defaults.office365.authority;
      return {
        kind: 'office365',
        clientId,
        tenant,
        issuer: authority ?? `${microsoftLoginHost}/${tenant}`,
        genericAuthority: authority !== undefined,
        loginHint: options.loginHint,
      };
    }
    case 'google': {
      const clientId = options.clientId ?? defaults.google.clientId;
      if (!clientId) throw missingClientId('Google', 'MAIL_SETTINGS_GOOGLE_CLIENT_ID');
      const defaultIssuer = defaults.google.issuer ?? googleIssuer;
      const issuer = options.issuer ?? defaultIssuer;
      return {
        kind: 'google',
        clientId,
        // The installation's secret belongs to the installation's issuer: never sent to another one.
        clientSecret: options.clientSecret ?? (issuer === defaultIssuer ? defaults.google.clientSecret : undefined),
        issuer,
        genericAuthority: false,
        loginHint: options.loginHint,
      };
    }
    case 'oidc': {
      const clientId = options.clientId ?? defaults.oidc.clientId;
      const issuer = options.issuer ?? defaults.oidc.issuer;
      if (!clientId) throw missingClientId('OpenID Connect', 'MAIL_SETTINGS_OIDC_CLIENT_ID');
      if (!issuer) {
        throw new OAuthError({
          code: ErrorCode.ProviderNotConfigured,
          message: 'No issuer address is set for the OpenID Connect provider.',
          fix: 'Enter the issuer (an https:// address, as in the provider’s documentation) under “Provider settings”.',
        });
      }
      const clientSecret = options.clientSecret ?? (issuer === defaults.oidc.issuer ? defaults.oidc.clientSecret : undefined);
      return { kind: 'oidc', clientId, clientSecret, issuer, genericAuthority: true, loginHint: options.loginHint };
    }
  }
}
