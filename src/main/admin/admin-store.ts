import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, type AppError } from '../../shared/errors';
import { waitForFileLock } from '../locks/wait-for-file-lock';
import { writeFileAtomically } from '../secrets/file-secret-store';

/**
 * `<dataDir>/admins.json`: the administrators of this installation. Hashes and counters only: no password,
 * no TOTP secret (that is in the keychain), no recovery code in the clear. Written whole (temporary file,
 * then rename; mode 0600) under a lock every process shares, so two sign-ins at once count both failures.
 */

const storedAdminSchema = z
  .object({
    email: z.string(),
    /** scrypt string (password-hash.ts): salt and parameters in it. */
    passwordHash: z.string(),
    /** 'pending' until a right security number was entered once. */
    twoFactor: z.enum(['pending', 'on']),
    /** scrypt hashes of the unused recovery codes. */
    recoveryCodes: z.array(z.string()),
    /** The TOTP step last accepted: a code of that step or an earlier one is refused (replay). */
    lastAcceptedStep: z.number().int().nullable(),
    failedAttempts: z.number().int().nonnegative(),
    lockedUntil: z.string().nullable(),
    /** How many times this administrator was locked out since the last sign-in: each lock lasts twice the one before. */
    locks: z.number().int().nonnegative(),
    createdAt: z.string(),
    /**
     * Team mode only (shared-admin-store.ts): the TOTP secret sealed under the administrator's password
     * (sealed-totp-secret.ts). Absent while it is still only in the keychain of `totpKeptBy`.
     */
    sealedTotpSecret: z.string().optional(),
    /** Team mode: the installation whose keychain holds the TOTP secret, until it is sealed at a sign-in there. */
    totpKeptBy: z.string().optional(),
  })
  .strict();

export const storedAdminsSchema = z.array(storedAdminSchema);

const adminFileSchema = z.object({ version: z.literal(1), admins: storedAdminsSchema }).strict();

export type StoredAdmin = z.infer<typeof storedAdminSchema>;

export class AdminStoreError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'AdminStoreError';
  }
}

export function adminStorePath(dataDir: string): string {
  return join(dataDir, 'admins.json');
}

/** The settings say administrators exist and this file is gone: admin actions stay refused. */
export function adminStoreMissing(dataDir: string, settingsPath: string): AppError {
  return {
    code: ErrorCode.AdminStoreMissing,
    message: `The administrators of Mail Settings were created, but their file ${adminStorePath(dataDir)} is missing, so actions for administrators are refused.`,
    fix: `Put admins.json back into ${dataDir} from a backup. Without one, whoever looks after this computer can remove "administratorsExist" from ${settingsPath}, then create the first administrator again.`,
  };
}

function adminStoreDamaged(dataDir: string): AppError {
  return {
    code: ErrorCode.AdminStoreMissing,
    message: `The administrators’ file ${adminStorePath(dataDir)} is damaged or was edited by hand, so actions for administrators are refused.`,
    fix: `Put admins.json back into ${dataDir} from a backup.`,
  };
}

export interface AdminStore {
  /**
   * True for the team's store in a shared records database: the TOTP secrets are sealed in it
   * (sealed-totp-secret.ts) instead of kept in this installation's keychain.
   */
  readonly shared: boolean;
  /** Why admin actions are refused when the settings recorded administrators and the store has none. */
  missing(settingsPath: string): AppError;
  /** The administrators, or null when the file does not exist. Throws AdminStoreError when it is damaged. */
  read(): Promise<StoredAdmin[] | null>;
  /**
   * Reads, lets `edit` decide, writes what it returns (unless `admins` is undefined): one after another in
   * this process, under the file's lock across processes.
   */
  update<T>(edit: (admins: StoredAdmin[] | null) => Promise<{ readonly admins?: StoredAdmin[]; readonly result: T }>): Promise<T>;
}

/** Long enough for a sign-in in another process (one scrypt, a keychain read); short enough to say so. */
const lockWaitMs = 15_000;

export function createAdminStore(dataDir: string): AdminStore {
  const path = adminStorePath(dataDir);

  async function read(): Promise<StoredAdmin[] | null> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new AdminStoreError(adminStoreDamaged(dataDir));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AdminStoreError(adminStoreDamaged(dataDir));
    }
    const parsed = adminFileSchema.safeParse(json);
    if (!parsed.success) throw new AdminStoreError(adminStoreDamaged(dataDir));
    return parsed.data.admins;
  }

  let queue: Promise<unknown> = Promise.resolve();
  function update<T>(edit: (admins: StoredAdmin[] | null) => Promise<{ readonly admins?: StoredAdmin[]; readonly result: T }>): Promise<T> {
    const run = async (): Promise<T> => {
      const lock = await waitForFileLock(`${path}.lock`, { maxWaitMs: lockWaitMs });
      if (!lock) {
        throw new AdminStoreError({
          code: ErrorCode.Internal,
          message: 'Another Mail Settings window or command is busy with the administrators’ file.',
          fix: 'Try again in a moment.',
        });
      }
      try {
        const { admins, result } = await edit(await read());
        if (admins !== undefined) await writeFileAtomically(path, `${JSON.stringify({ version: 1, admins }, null, 2)}\n`);
        return result;
      } finally {
        await lock.release();
      }
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  }

  return { shared: false, missing: (settingsPath) => adminStoreMissing(dataDir, settingsPath), read, update };
}
