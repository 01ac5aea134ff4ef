/**
 * Advice for a refused password at the big providers, the same for sending and for the inboxes: their
 * accounts with multi-factor authentication sign in to SMTP and IMAP with an app password, or with Modern
 * Authentication.
 */

/** Seed 004: the steps to create an app password in Microsoft 365, for accounts with MFA. */
export const microsoftAppPasswordSteps =
  'If your Microsoft account uses multi-factor authentication, create an app password and enter it as the password: sign in to Office 365, click your initials or picture (top right), View account, Security info, + Add method, choose “App password”, click Add, give it a name (for example “Legrand CRM”), click Next, copy the password shown. If you do not see the App password option, contact your IT team.';
export const googleAppPasswordSteps =
  'If your Google account uses 2-Step Verification, create an app password at myaccount.google.com › Security › App passwords and enter it as the password (not available under Advanced Protection or when your Workspace admin blocks it).';
export const switchToModernAuthentication = 'Or choose “Modern Authentication (OAuth 2.0)” as the authentication method, which needs no password here.';

export type MailProvider = 'office365' | 'google' | 'other';

/** Whose mail server a host is, by its name (Office 365's and Google's documented host names). */
export function mailProviderOf(host: string): MailProvider {
  const name = host.toLowerCase();
  if (/(^|\.)office365\.com$|(^|\.)outlook\.com$|(^|\.)office\.com$|protection\.outlook\.com$/.test(name)) return 'office365';
  if (/(^|\.)gmail\.com$|(^|\.)googlemail\.com$|(^|\.)google\.com$/.test(name)) return 'google';
  return 'other';
}

/** The app-password steps for a provider's accounts; none for other servers. */
export function appPasswordStepsFor(provider: MailProvider): string {
  return provider === 'office365' ? microsoftAppPasswordSteps : provider === 'google' ? googleAppPasswordSteps : '';
}
