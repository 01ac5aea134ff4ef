import { ErrorCode, type AppError } from '../../shared/errors';
import { redact } from '../log/redact';

/** A sign-in or token failure, already translated for the user. */
export class OAuthError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'OAuthError';
  }
}

/** True for failures after which only a new interactive sign-in helps. */
export function needsReauthentication(error: AppError): boolean {
  return error.code === ErrorCode.GrantExpired || error.code === ErrorCode.MfaRequired || error.code === ErrorCode.ConsentRequired;
}

export const oauthErrors = {
  cancelled: {
    code: ErrorCode.SignInCancelled,
    message: 'The sign-in window was closed before the sign-in finished.',
    fix: 'Click “Sign in using Modern Authentication…” to try again.',
  },
  timedOut: {
    code: ErrorCode.SignInTimedOut,
    message: 'The sign-in took too long and was stopped.',
    fix: 'Click “Sign in using Modern Authentication…” again and finish the steps in the sign-in window within a few minutes.',
  },
  inProgress: {
    code: ErrorCode.SignInInProgress,
    message: 'A sign-in for this mailbox is already open.',
    fix: 'Finish or close the open sign-in window first.',
  },
  accessDenied: {
    code: ErrorCode.AccessDenied,
    message: 'The sign-in was declined, so Mail Settings has no access to the mailbox.',
    fix: 'Sign in again and choose “Accept” (or “Allow”) on the permissions screen. If you are not allowed to accept, ask your administrator.',
  },
  grantExpired: {
    code: ErrorCode.GrantExpired,
    message: 'The sign-in for this mailbox has expired or was revoked (for example after a password change).',
    fix: 'Click “Re-authenticate Now” and sign in again. Mail is not sent or fetched for this mailbox until then.',
  },
  notSignedIn: {
    code: ErrorCode.NotSignedIn,
    message: 'This mailbox is not signed in.',
    fix: 'Choose Modern Authentication and click “Sign in using Modern Authentication…”.',
  },
  loopbackUnavailable: {
    code: ErrorCode.LoopbackUnavailable,
    message: 'Mail Settings could not open a local port to receive the answer of the sign-in page.',
    fix: 'Security software may block local connections to 127.0.0.1: allow Mail Settings to listen on the loopback address, then try again.',
  },
  identityProviderTls: {
    code: ErrorCode.IdentityProviderTls,
    message: 'The secure connection to the sign-in service could not be verified.',
    fix: 'Check the computer’s date and time. If your network inspects HTTPS traffic (a proxy or antivirus), ask IT to install its certificate on this computer, then try again.',
  },
  identityProviderUnreachable: {
    code: ErrorCode.IdentityProviderUnreachable,
    message: 'The sign-in service could not be reached.',
    fix: 'Check the internet connection (and the tenant or issuer address, if you entered one), then try again.',
  },
} as const satisfies Record<string, AppError>;

const nothingSent = 'Mail Settings sent no password, code or client secret to it.';

/** What is wrong with an identity provider's published metadata (OpenID Connect Discovery 1.0, RFC 8414). */
export const metadataErrors = {
  issuerNotHttps: (issuer: string): AppError => ({
    code: ErrorCode.IdentityProviderMetadataRefused,
    message: `The issuer address “${issuer}” is not an https:// address, so Mail Settings did not use it.`,
    fix: 'Enter the issuer as the https:// address your provider documents, under “Provider settings” (or ask IT to correct it for this installation).',
  }),
  issuerMismatch: (configured: string, published: string | null): AppError => ({
    code: ErrorCode.IdentityProviderMetadataRefused,
    message: `The sign-in service at ${configured} says it is ${published === null ? 'no issuer at all' : `“${published}”`}, not the issuer Mail Settings was given, so it was not used. ${nothingSent}`,
    fix: 'Check the issuer under “Provider settings”: it must be exactly the issuer the provider publishes, character for character (a trailing “/” counts). If it is right, ask IT: another service may be answering in the provider’s place.',
  }),
  endpointNotHttps: (name: string, url: string): AppError => ({
    code: ErrorCode.IdentityProviderMetadataRefused,
    message: `The sign-in service publishes its ${name} at ${url}, which is not an https:// address, so it was not used: codes, tokens and secrets would cross the network unencrypted. ${nothingSent}`,
    fix: 'Ask IT to configure the identity provider so that every endpoint uses https://, then sign in again.',
  }),
  incomplete: (configured: string): AppError => ({
    code: ErrorCode.IdentityProviderMetadataRefused,
    message: `The sign-in service at ${configured} publishes no authorization or token endpoint.`,
    fix: 'Check the issuer under “Provider settings” (it is the address whose /.well-known/openid-configuration describes the provider), or ask IT.',
  }),
} as const;

const adminConsentLink = (tenant: string, clientId: string): string =>
  `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;

export interface OAuthErrorContext {
  readonly clientId?: string;
  readonly tenant?: string;
}

/**
 * Translates what MSAL, google-auth-library (gaxios), the loopback and the network throw into a sentence
 * and a fix. Codes seen: AADSTS numbers in Entra messages, OAuth `error` values, MSAL `errorCode`s
 * (`invalid_grant`, `interaction_required`, `endpoints_resolution_error` for TLS failures), Node's
 * network and certificate codes.
 */
export function oauthErrorOf(cause: unknown, context: OAuthErrorContext = {}): AppError {
  if (cause instanceof OAuthError) return cause.appError;
  const fields = describe(cause);
  const text = `${fields.code} ${fields.errorCode} ${fields.oauthError} ${fields.message} ${fields.subError}`;
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];

  switch (aadsts) {
    case '65001':
    case '90094':
    case '90095': {
      const tenant = context.tenant && !['common', 'organizations', 'consumers'].includes(context.tenant) ? context.tenant : 'organizations';
      return {
        code: ErrorCode.ConsentRequired,
        message: 'Your organisation requires an administrator to approve Mail Settings before it can use the mailbox (AADSTS65001).',
        fix: context.clientId
          ? `Ask a Microsoft 365 administrator to open ${adminConsentLink(tenant, context.clientId)} and accept, then sign in again.`
          : 'Ask a Microsoft 365 administrator to grant admin consent to the Mail Settings app registration, then sign in again.',
      };
    }
    case '50076':
    case '50079':
    case '50158':
      return {
        code: ErrorCode.MfaRequired,
        message: 'Your organisation requires a second sign-in step (multi-factor authentication) that was not completed.',
        fix: 'Sign in again and complete the verification on your phone (SMS or the Authenticator app).',
      };
    case '53003':
    case '53000':
    case '53001':
      return {
        code: ErrorCode.ConditionalAccessBlocked,
        message: 'A Conditional Access policy of your organisation blocked this sign-in (AADSTS' + aadsts + ').',
        fix: 'Use “Sign in with your web browser instead” (policies that require a compliant device accept the system browser), or ask IT which device or location the policy allows.',
      };
    case '50173':
    case '700082':
    case '700081':
    case '70008':
    case '50089':
      return oauthErrors.grantExpired;
    case '50126':
      return {
        code: ErrorCode.AccessDenied,
        message: 'The user name or password was not accepted by Microsoft (AADSTS50126).',
        fix: 'Check the email address and password, then sign in again.',
      };
    case '90072':
      return {
        code: ErrorCode.UserNotInTenant,
        message: 'This account does not belong to the organisation (tenant) Mail Settings signs in to (AADSTS90072).',
        fix: 'Sign in with an account of your organisation, or set the tenant to “organizations” or your own tenant.',
      };
    case '9002327':
      return {
        code: ErrorCode.WrongAppPlatform,
        message: 'The app registration is set up as a single-page app, which desktop sign-in cannot use (AADSTS9002327).',
        fix: 'In the Entra admin center, add the “Mobile and desktop applications” platform with the redirect URI http://localhost to the app registration.',
      };
    default:
      break;
  }

  const oauth = fields.oauthError || fields.errorCode;
  if (oauth === 'access_denied' || oauth === 'user_cancelled') return oauthErrors.accessDenied;
  if (oauth === 'consent_required') return { ...oauthErrors.accessDenied, code: ErrorCode.ConsentRequired, message: 'The permissions for Mail Settings have not been accepted for this account.' };
  if (oauth === 'invalid_grant' || oauth === 'interaction_required' || oauth === 'login_required' || oauth === 'no_tokens_found' || fields.name === 'InteractionRequiredAuthError') {
    return oauthErrors.grantExpired;
  }
  if (/CERT|SSL|TLS|self[- ]signed|unable to verify|endpoints_resolution_error|altname/i.test(text)) return oauthErrors.identityProviderTls;
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|fetch failed|network/i.test(text)) return oauthErrors.identityProviderUnreachable;

  return {
    code: ErrorCode.SignInFailed,
    message: `The sign-in failed: ${redact(fields.message || 'no reason was given')}`.slice(0, 400),
    fix: 'Try again. If it keeps failing, check the provider settings (client id, tenant or issuer) with your administrator.',
  };
}

interface ErrorFields {
  readonly name: string;
  readonly code: string;
  readonly errorCode: string;
  readonly subError: string;
  readonly oauthError: string;
  readonly message: string;
}

function describe(cause: unknown): ErrorFields {
  const record = (typeof cause === 'object' && cause !== null ? cause : {}) as Record<string, unknown>;
  const response = record['response'] as { data?: { error?: unknown; error_description?: unknown } } | undefined;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const nested = record['cause'] as Record<string, unknown> | undefined;
  return {
    name: text(record['name']),
    code: `${text(record['code'])} ${text(nested?.['code'])}`.trim(),
    errorCode: text(record['errorCode']),
    subError: text(record['subError']),
    oauthError: text(response?.data?.error) || text(record['error']),
    message: [text(record['errorMessage']), text(record['message']), text(response?.data?.error_description), text(nested?.['message'])]
      .filter(Boolean)
      .join(' '),
  };
}
