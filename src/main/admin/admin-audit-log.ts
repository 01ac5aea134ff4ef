import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `<dataDir>/logs/admin-audit.log`: who did what with administrator rights, and when, one JSON line each:
 * `{"at":…,"email":…,"action":…,"outcome":…}`. The outcome is `ok` or an error code; nothing typed in a
 * password or code field is ever written.
 */

export interface AdminAuditEntry {
  readonly email: string | null;
  /** `createFirst`, `signInPassword`, `signInCode`, `signOut`, `sessionEnded`, or the admin-only action asked for (`saveInbox`…). */
  readonly action: string;
  readonly outcome: string;
}

export interface AdminAuditLog {
  record(entry: AdminAuditEntry): Promise<void>;
}

export function adminAuditLogPath(dataDir: string): string {
  return join(dataDir, 'logs', 'admin-audit.log');
}

export function createAdminAuditLog(dataDir: string, now: () => Date): AdminAuditLog {
  const path = adminAuditLogPath(dataDir);
  let queue: Promise<void> = Promise.resolve();
  return {
    record(entry) {
      const line = `${JSON.stringify({ at: now().toISOString(), email: entry.email, action: entry.action, outcome: entry.outcome })}\n`;
      queue = queue
        .then(() => mkdir(join(dataDir, 'logs'), { recursive: true, mode: 0o700 }))
        .then(() => appendFile(path, line, { mode: 0o600 }));
      // One failed write (a full disk) must not stop the next ones; the caller hears of it.
      const written = queue;
      queue = queue.catch(() => undefined);
      return written;
    },
  };
}
