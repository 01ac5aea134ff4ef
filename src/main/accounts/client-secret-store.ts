import { z } from 'zod';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';

/**
 * A client secret is stored with the issuer it was entered for, in the same keychain item, and is handed
 * to that issuer only. It authenticates this app to one authorization server (RFC 6749 §2.3.1): sent to
 * another one (a mailbox pointed at a new issuer, a changed installation default), it would let that
 * server act as the app at the first.
 */
const boundClientSecretSchema = z.object({ issuer: z.string().min(1), secret: z.string().min(1) });

/**
 * The mailbox's stored client secret when it was saved for exactly `issuer`; otherwise none. A value
 * saved before secrets were bound (a bare string) names no issuer, and is not used either.
 */
export async function readClientSecret(secrets: SecretStore, mailbox: string, issuer: string): Promise<string | undefined> {
  const raw = await secrets.get(secretAccounts.clientSecret(mailbox));
  if (raw === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const bound = boundClientSecretSchema.safeParse(parsed);
  return bound.success && bound.data.issuer === issuer ? bound.data.secret : undefined;
}

export function saveClientSecret(secrets: SecretStore, mailbox: string, issuer: string, secret: string): Promise<void> {
  return secrets.set(secretAccounts.clientSecret(mailbox), JSON.stringify({ issuer, secret }));
}
