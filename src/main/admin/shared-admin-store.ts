import { ErrorCode, type AppError } from '../../shared/errors';
import type { RecordsStore } from '../records/records-store';
import { AdminStoreError, storedAdminsSchema, type AdminStore, type StoredAdmin } from './admin-store';

/**
 * Team mode (issue 16): the administrators live in the records database the installations share, so an
 * administrator created on one desktop signs in on every other, and a lockout counts the wrong guesses
 * made anywhere. They are one value of the database's shared settings (compare-and-set on its revision):
 * an update reads them, lets the admin service decide, and writes only if nobody else wrote meanwhile,
 * otherwise decides again on what is there now. No password and no TOTP secret in the clear: hashes,
 * counters, and the TOTP secret sealed under the administrator's password (sealed-totp-secret.ts).
 */

export const administratorsKey = 'administrators';

export interface SharedAdminStoreDeps {
  readonly records: () => Promise<RecordsStore>;
  /** This installation's own administrators (admins.json): the first installation on the database brings them. */
  readonly local: AdminStore;
  /** This installation's readable name, written with each change. */
  readonly installationName: string;
  /** The user's account of a database failure (postgres-errors.ts). */
  readonly databaseError: (error: unknown) => AppError;
}

/** Updates that lost the compare-and-set to another installation this many times in a row say so. */
const attempts = 5;

const damaged: AppError = {
  code: ErrorCode.AdminStoreMissing,
  message: 'The administrators kept in the shared records database are damaged or were edited by hand, so actions for administrators are refused.',
  fix: 'Ask the database administrator to restore the row “administrators” of the table shared_settings from a backup.',
};

const busy: AppError = {
  code: ErrorCode.Internal,
  message: 'Other installations kept changing the administrators at the same time.',
  fix: 'Try again in a moment.',
};

export function createSharedAdminStore(deps: SharedAdminStoreDeps): AdminStore {
  async function database<T>(work: (records: RecordsStore) => Promise<T>): Promise<T> {
    try {
      return await work(await deps.records());
    } catch (error) {
      throw error instanceof AdminStoreError ? error : new AdminStoreError(deps.databaseError(error));
    }
  }

  async function current(): Promise<{ readonly admins: StoredAdmin[] | null; readonly revision: number }> {
    const [row] = await database((records) => records.sharedSettings.read([administratorsKey]));
    if (!row) return { admins: null, revision: 0 };
    const parsed = storedAdminsSchema.safeParse(row.value);
    if (!parsed.success) throw new AdminStoreError(damaged);
    return { admins: parsed.data, revision: row.revision };
  }

  /**
   * The database has no administrators yet and this installation has some: they become the team's (as its
   * settings do, shared-settings-sync.ts). Their TOTP secrets are still in this keychain; each is sealed
   * into the database at its administrator's next sign-in here. False when there was nothing to bring.
   */
  async function brought(): Promise<boolean> {
    const own = await deps.local.read();
    if (own === null || own.length === 0) return false;
    const team = own.map((admin) => (admin.sealedTotpSecret === undefined ? { ...admin, totpKeptBy: deps.installationName } : admin));
    await database((records) => records.sharedSettings.write(administratorsKey, team, 0, deps.installationName));
    return true;
  }

  /** What the database holds, after this installation brought its own administrators if it had none. */
  async function currentOrBrought(): Promise<{ readonly admins: StoredAdmin[] | null; readonly revision: number }> {
    const first = await current();
    return first.admins !== null || !(await brought()) ? first : current();
  }

  let queue: Promise<unknown> = Promise.resolve();
  function update<T>(edit: (admins: StoredAdmin[] | null) => Promise<{ readonly admins?: StoredAdmin[]; readonly result: T }>): Promise<T> {
    const run = async (): Promise<T> => {
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        const { admins, revision } = await currentOrBrought();
        const decided = await edit(admins);
        if (decided.admins === undefined) return decided.result;
        const next = decided.admins;
        const written = await database((records) => records.sharedSettings.write(administratorsKey, next, revision, deps.installationName));
        if (written.written) return decided.result;
      }
      throw new AdminStoreError(busy);
    };
    // One at a time in this process, so its own updates never race each other.
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    shared: true,
    missing: (settingsPath) => ({
      code: ErrorCode.AdminStoreMissing,
      message: 'Administrators were created on this computer, but the shared records database has none, so actions for administrators are refused.',
      fix: `Start Mail Settings once on the installation whose administrators the team uses: it brings them into the shared database. If there is none, whoever looks after this computer can remove "administratorsExist" from ${settingsPath}, then create the team's first administrator.`,
    }),
    read: async () => (await currentOrBrought()).admins,
    update,
  };
}
