import { googleIssuer } from './provider-config';

/** The endpoints of an authorization server (OpenID Connect Discovery 1.0). */
export interface ProviderEndpoints {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint: string | null;
}

const googleEndpoints: ProviderEndpoints = {
  issuer: googleIssuer,
  authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenEndpoint: 'https://oauth2.googleapis.com/token',
  revocationEndpoint: 'https://oauth2.googleapis.com/revoke',
};

/** Google's endpoints are known; any other issuer publishes them in its discovery document. */
export async function discoverEndpoints(issuer: string): Promise<ProviderEndpoints> {
  if (issuer === googleIssuer) return googleEndpoints;
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`The issuer's discovery document answered HTTP ${response.status}`);
  const document = (await response.json()) as Record<string, unknown>;
  const text = (key: string): string | null => (typeof document[key] === 'string' ? (document[key] as string) : null);
  const authorizationEndpoint = text('authorization_endpoint');
  const tokenEndpoint = text('token_endpoint');
  if (!authorizationEndpoint || !tokenEndpoint) throw new Error('The issuer publishes no authorization or token endpoint');
  return { issuer: text('issuer') ?? issuer, authorizationEndpoint, tokenEndpoint, revocationEndpoint: text('revocation_endpoint') };
}
