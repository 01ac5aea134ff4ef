import type { ProviderKind } from '../../../shared/accounts';
import type { ProviderDefaults } from './provider-config';

/**
 * The mail servers each provider runs: an access token it issued is sent to these hosts only. A token for
 * Google carries the scope https://mail.google.com/ (the whole mailbox), so handing it to any other host
 * would hand over the mailbox.
 *
 * Office 365: the worldwide SMTP and IMAP endpoints (Microsoft Learn, "POP, IMAP, and SMTP settings for
 * Outlook.com" and "Authenticate an IMAP, POP or SMTP connection using OAuth"), Outlook.com's, and those
 * of the US Government (GCC High) and 21Vianet (China) clouds.
 * Google: Gmail's SMTP and IMAP servers (Google Workspace Admin Help, "IMAP, POP, and SMTP").
 * A generic OpenID Connect provider runs no known servers: an installation names them in configuration.
 */
export const providerMailHosts: Readonly<Record<ProviderKind, readonly string[]>> = {
  office365: [
    'smtp.office365.com',
    'outlook.office365.com',
    'outlook.office.com',
    'smtp-mail.outlook.com',
    'smtp.office365.us',
    'outlook.office365.us',
    'smtp.partner.outlook.cn',
    'partner.outlook.cn',
  ],
  google: ['smtp.gmail.com', 'imap.gmail.com'],
  oidc: [],
};

function canonical(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The hosts a provider's token may go to: its own, plus those the installation's configuration adds
 * (MAIL_SETTINGS_<PROVIDER>_MAIL_HOSTS). Never from a mailbox's own settings, which the form can change:
 * a guard the form could widen would guard nothing.
 */
export function allowedMailHosts(kind: ProviderKind, defaults: ProviderDefaults): readonly string[] {
  return [...providerMailHosts[kind], ...(defaults[kind].mailHosts ?? [])].map(canonical);
}

export function isAllowedMailHost(host: string, kind: ProviderKind, defaults: ProviderDefaults): boolean {
  return allowedMailHosts(kind, defaults).includes(canonical(host));
}
