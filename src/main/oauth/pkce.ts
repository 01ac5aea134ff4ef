import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 PKCE with S256, and an unguessable `state`, both base64url. */
export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
}

export function createPkcePair(): PkcePair {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function createState(): string {
  return randomBytes(32).toString('base64url');
}
