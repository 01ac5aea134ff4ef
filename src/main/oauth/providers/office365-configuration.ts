import { ProtocolMode, type AuthorizationUrlRequest, type Configuration, type ICachePlugin } from '@azure/msal-node';
import type { IssuerCheck } from '../loopback-listener';
import type { ResolvedProvider } from './provider-config';

/**
 * What the Office 365 provider hands to MSAL, as pure functions of the resolved provider settings, so
 * the real configuration (login.microsoftonline.com and a tenant) is checked without a network.
 */

/**
 * The MSAL authority, with the trailing slash MSAL joins endpoint paths to. Entra:
 * `https://login.microsoftonline.com/<tenant>/`, where the tenant is `organizations`, `common`,
 * `consumers`, a verified domain or a directory id (Microsoft Learn, "Application configuration
 * options": Authority). Elsewhere: the configured OpenID Connect issuer.
 */
export function authorityUrlOf(config: ResolvedProvider): URL {
  return new URL(config.issuer.endsWith('/') ? config.issuer : `${config.issuer}/`);
}

/**
 * The PublicClientApplication configuration. Entra needs nothing but the client id and the authority:
 * MSAL knows the endpoints of Microsoft's clouds without asking (its built-in instance and endpoint
 * metadata). Any other authority must be named in `knownAuthorities`, and is spoken to as plain OpenID
 * Connect (ProtocolMode.OIDC: discovery from its own metadata, no Entra-only parameters).
 */
export function msalConfigurationOf(config: ResolvedProvider, cachePlugin?: ICachePlugin): Configuration {
  const authority = authorityUrlOf(config);
  return {
    auth: {
      clientId: config.clientId,
      authority: authority.href,
      ...(config.genericAuthority ? { knownAuthorities: [authority.host] } : {}),
    },
    system: config.genericAuthority ? { protocolMode: ProtocolMode.OIDC } : {},
    ...(cachePlugin ? { cache: { cachePlugin } } : {}),
  };
}

/**
 * How the `iss` of the authorization response is checked (RFC 9207). Entra sends none and does not
 * publish `authorization_response_iss_parameter_supported`, and the issuer of a multi-tenant authority
 * (`organizations`, `common`) is a template, not a value to compare. A generic OpenID authority may send
 * it: then it must be that authority (§2.4).
 */
export function issuerCheckOf(config: ResolvedProvider): IssuerCheck {
  return config.genericAuthority ? { kind: 'when-present', issuer: authorityUrlOf(config).href.replace(/\/$/, '') } : { kind: 'none' };
}

export interface AuthorizationRequestParameters {
  /** The loopback listener's `http://localhost:<port>/` (Entra's "Mobile and desktop applications" platform). */
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string;
}

/** The authorization request MSAL turns into the sign-in URL: PKCE S256 (RFC 7636), answer posted back. */
export function authorizationRequestOf(config: ResolvedProvider, scopes: readonly string[], parameters: AuthorizationRequestParameters): AuthorizationUrlRequest {
  return {
    scopes: [...scopes],
    redirectUri: parameters.redirectUri,
    state: parameters.state,
    codeChallenge: parameters.codeChallenge,
    codeChallengeMethod: 'S256',
    // The code goes in a POST body, not in a URL that browser history and proxies keep.
    responseMode: 'form_post',
    // A known user (Re-authenticate Now) is named, so the page asks for that user's password at once
    // (login_hint, OpenID Connect Core 3.1.2.1). Else the account picker, with "use another account".
    // Never both: Entra refuses an account hint with prompt=select_account, and MSAL drops the hint then.
    ...(config.loginHint ? { loginHint: config.loginHint } : { prompt: 'select_account' }),
  };
}
