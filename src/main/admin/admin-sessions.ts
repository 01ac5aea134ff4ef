import { z } from 'zod';
import type { SecretStore } from '../secrets/secret-store';

/**
 * Where the signed-in administrator is remembered. The app keeps it in memory (it ends with the process);
 * the CLI keeps it in the keychain, one entry per data directory (the keychain service is per data
 * directory), so `admin sign-in` opens a session the next commands use, as sudo's timestamp does.
 */

export interface StoredAdminSession {
  readonly email: string;
  /** ISO time of the session's last use: it ends 15 idle minutes after. */
  readonly lastUsedAt: string;
}

export interface AdminSessionStore {
  read(): Promise<StoredAdminSession | null>;
  write(session: StoredAdminSession): Promise<void>;
  clear(): Promise<void>;
}

export function memoryAdminSessionStore(): AdminSessionStore {
  let current: StoredAdminSession | null = null;
  return {
    read: async () => current,
    write: async (session) => {
      current = session;
    },
    clear: async () => {
      current = null;
    },
  };
}

/** The keychain account of the CLI's administrator session. */
export const adminSessionAccount = 'admin/session';

const storedSessionSchema = z.object({ email: z.string(), lastUsedAt: z.string() }).strict();

export function keychainAdminSessionStore(secrets: SecretStore): AdminSessionStore {
  return {
    read: async () => {
      const stored = await secrets.get(adminSessionAccount);
      if (stored === null) return null;
      try {
        const parsed = storedSessionSchema.safeParse(JSON.parse(stored));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    write: (session) => secrets.set(adminSessionAccount, JSON.stringify({ email: session.email, lastUsedAt: session.lastUsedAt })),
    clear: async () => {
      await secrets.delete(adminSessionAccount);
    },
  };
}
