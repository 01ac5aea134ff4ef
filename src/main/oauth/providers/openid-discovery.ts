import { metadataErrors, OAuthError } from '../oauth-errors';
import { googleIssuer } from './provider-config';

/** The endpoints of an authorization server (OpenID Connect Discovery 1.0), checked. */
export interface ProviderEndpoints {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint: string | null;
  /**
   * The server says it puts `iss` in every authorization response (RFC 9207 §3,
   * `authorization_response_iss_parameter_supported`): one without it is then refused (§2.4).
   */
  readonly issParameterSupported: boolean;
}

const googleEndpoints: ProviderEndpoints = {
  issuer: googleIssuer,
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://oauth2.googleapis.com/token',
  revocationEndpoint: 'https://oauth2.googleapis.com/revoke',
  // Google's discovery document does not advertise RFC 9207; an `iss` it sends is still compared.
  issParameterSupported: false,
};

/** The metadata members holding endpoint URLs, with the words the user sees for each. */
const endpointMembers = {
  authorization_endpoint: 'authorization endpoint',
  token_endpoint: 'token endpoint',
  revocation_endpoint: 'revocation endpoint',
  userinfo_endpoint: 'userinfo endpoint',
  jwks_uri: 'signing keys (jwks_uri)',
} as const;

const isHttps = (value: string): boolean => URL.canParse(value) && new URL(value).protocol === 'https:';

/**
 * Google's endpoints are known; any other issuer publishes them in its discovery document, which is used
 * only when it is about that very issuer and everything in it is https:
 * - the published `issuer` is identical to the configured one (OpenID Connect Discovery 1.0 §4.3,
 *   RFC 8414 §3.3): otherwise a document served for one issuer could send the sign-in, the code and the
 *   client secret to another (the mix-up attack, RFC 9207 §1);
 * - the issuer and every endpoint are https (Discovery §3, RFC 8414 §2, RFC 6749 §3.1 and §3.2: the
 *   authorization and token endpoints require TLS).
 */
export async function discoverEndpoints(issuer: string): Promise<ProviderEndpoints> {
  if (issuer === googleIssuer) return googleEndpoints;
  if (!isHttps(issuer)) throw new OAuthError(metadataErrors.issuerNotHttps(issuer));
  // Discovery §4.1: a terminating "/" of the issuer is removed before the well-known path is appended.
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(15_000) });
  if (!isHttps(response.url)) throw new OAuthError(metadataErrors.endpointNotHttps('discovery document', response.url));
  if (!response.ok) throw new Error(`The issuer's discovery document answered HTTP ${response.status}`);
  const document = (await response.json()) as Record<string, unknown>;
  const text = (key: string): string | null => (typeof document[key] === 'string' ? (document[key] as string) : null);

  const published = text('issuer');
  if (published !== issuer) throw new OAuthError(metadataErrors.issuerMismatch(issuer, published));
  for (const [member, name] of Object.entries(endpointMembers)) {
    const url = text(member);
    if (url !== null && !isHttps(url)) throw new OAuthError(metadataErrors.endpointNotHttps(name, url));
  }
  const authorizationEndpoint = text('authorization_endpoint');
  const tokenEndpoint = text('token_endpoint');
  if (!authorizationEndpoint || !tokenEndpoint) throw new OAuthError(metadataErrors.incomplete(issuer));
  return {
    issuer: published,
    authorizationEndpoint,
    tokenEndpoint,
    revocationEndpoint: text('revocation_endpoint'),
    issParameterSupported: document['authorization_response_iss_parameter_supported'] === true,
  };
}
