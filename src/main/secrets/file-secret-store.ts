import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCode, type AppError } from '../../shared/errors';
import { waitForFileLock } from '../locks/wait-for-file-lock';
import {
  KeychainFileUnreadable,
  masterKeyOf,
  newKeyDerivation,
  openKeychain,
  parseKeychainFile,
  passphraseMatches,
  sealKeychain,
  type KeychainEntries,
  type KeychainFileProblem,
  type KeyDerivation,
  type ScryptParameters,
} from './keychain-file-format';
import { SecretStoreError, type SecretStore } from './secret-store';

export interface FileSecretStoreOptions {
  /** The keychain file; created (mode 0600) on the first write. */
  readonly path: string;
  /** The keychain service name of the data directory (keychain-service.ts), as the OS keychain keeps it. */
  readonly service: string;
  /** Read once, on first use: a command that needs no secret never asks for it. */
  readonly passphrase: () => Promise<string>;
  /** The cost of a new file's key; tests pass a cheap one. */
  readonly scrypt?: ScryptParameters;
}

/** A write holds the file's lock for milliseconds; another process holding it longer than this is stuck. */
const lockWaitMs = 10_000;
/** A lock not refreshed for this long was left by a process that died mid-write. */
const lockStaleAfterMs = 30_000;

const keepItSafe = 'Nothing was saved in plain text.';

export const keychainFileErrors = {
  wrongPassphrase: (path: string): AppError => ({
    code: ErrorCode.KeychainWrongPassphrase,
    message: `The passphrase does not open the keychain file ${path}: it was made with another passphrase.`,
    fix: `Give the passphrase file the keychain file was made with. Without that passphrase, the passwords and sign-ins in it can’t be recovered: move the file away, then enter the passwords and sign in again (a new file is made). ${keepItSafe}`,
  }),
  damaged: (path: string): AppError => ({
    code: ErrorCode.KeychainDamaged,
    message: `The keychain file ${path} is damaged: it was changed or cut short after Mail Settings wrote it.`,
    fix: `Put back a copy from a backup; or move the file away, then enter the passwords and sign in again (a new file is made). ${keepItSafe}`,
  }),
  newerVersion: (path: string): AppError => ({
    code: ErrorCode.KeychainDamaged,
    message: `The keychain file ${path} was written by a newer version of Mail Settings.`,
    fix: `Use that version of Mail Settings with it; this one does not change the file. ${keepItSafe}`,
  }),
  inaccessible: (path: string, reason: string): AppError => ({
    code: ErrorCode.KeychainUnavailable,
    message: `Mail Settings can’t use the keychain file ${path} (${reason}).`,
    fix: `Check that its folder exists and that you may read and write there, then try again. ${keepItSafe}`,
  }),
  busy: (path: string): AppError => ({
    code: ErrorCode.KeychainUnavailable,
    message: `The keychain file ${path} is being written by another Mail Settings process that does not finish.`,
    fix: `Try again in a minute; if it stays busy, stop the other Mail Settings processes (the app, mail-settings serve). ${keepItSafe}`,
  }),
} as const;

const problemErrors: Readonly<Record<KeychainFileProblem, (path: string) => AppError>> = {
  'wrong-passphrase': keychainFileErrors.wrongPassphrase,
  damaged: keychainFileErrors.damaged,
  'newer-version': keychainFileErrors.newerVersion,
};

/** The file as read: its entries, and the key to write it back with (null: there is no file yet). */
interface OpenedFile {
  readonly entries: KeychainEntries;
  readonly key: { readonly kdf: KeyDerivation; readonly masterKey: Buffer } | null;
}

/**
 * Secrets in one encrypted file (keychain-file-format.ts) instead of the OS keychain: for a server with no
 * desktop session, where no Secret Service runs. Every operation reads the file anew, so the app, the CLI
 * and a scheduled run see each other's writes; a write holds the file's lock from its read to its rename,
 * so two processes never lose each other's changes (a refreshed token, say). A file that can't be opened
 * (wrong passphrase, damaged, newer) is never written over.
 */
export function createFileSecretStore(options: FileSecretStoreOptions): SecretStore {
  const { path, service } = options;
  let passphrase: Promise<string> | undefined;
  const readPassphrase = (): Promise<string> => {
    if (!passphrase) {
      const reading = options.passphrase();
      passphrase = reading;
      // A passphrase file that could not be read is read again next time (its mode fixed, say).
      reading.catch(() => {
        if (passphrase === reading) passphrase = undefined;
      });
    }
    return passphrase;
  };
  /** Master keys by salt and cost: scrypt runs once per file and process, not once per operation. */
  const masterKeys = new Map<string, Promise<Buffer>>();

  async function masterKeyFor(kdf: KeyDerivation): Promise<Buffer> {
    const id = `${kdf.salt.toString('base64')}:${kdf.N}:${kdf.r}:${kdf.p}`;
    let key = masterKeys.get(id);
    if (!key) {
      key = readPassphrase().then((text) => masterKeyOf(text, kdf.salt, kdf));
      masterKeys.set(id, key);
      // A failed read of the passphrase is not remembered as the key.
      key.catch(() => masterKeys.delete(id));
    }
    return key;
  }

  async function readFileText(): Promise<string | null> {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new SecretStoreError(keychainFileErrors.inaccessible(path, reasonOf(error)));
    }
  }

  async function openFile(): Promise<OpenedFile> {
    // Asked even before there is a file: a missing or unsafe passphrase is said at once, not at the first write.
    await readPassphrase();
    const text = await readFileText();
    if (text === null) return { entries: new Map(), key: null };
    try {
      const parsed = parseKeychainFile(text);
      const masterKey = await masterKeyFor(parsed.kdf);
      if (!(await passphraseMatches(parsed.kdf, masterKey))) throw new KeychainFileUnreadable('wrong-passphrase', 'the passphrase check does not match');
      return { entries: await openKeychain(parsed, masterKey), key: { kdf: parsed.kdf, masterKey } };
    } catch (error) {
      if (error instanceof KeychainFileUnreadable) throw new SecretStoreError(problemErrors[error.problem](path));
      throw error;
    }
  }

  async function write(entries: KeychainEntries, key: OpenedFile['key']): Promise<void> {
    const { kdf, masterKey } = key ?? (await newKeyDerivation(await readPassphrase(), options.scrypt));
    try {
      await writeFileAtomically(path, await sealKeychain(entries, kdf, masterKey));
    } catch (error) {
      throw new SecretStoreError(keychainFileErrors.inaccessible(path, reasonOf(error)));
    }
  }

  /** Writes in this process one after another; across processes, under the file's lock. */
  let writes: Promise<unknown> = Promise.resolve();
  function change<T>(edit: (accounts: Map<string, string>) => { result: T; changed: boolean }): Promise<T> {
    const run = async (): Promise<T> => {
      // The passphrase first: a missing one is said as such, not as a lock or folder problem.
      await readPassphrase();
      const lock = await waitForFileLock(`${path}.lock`, { maxWaitMs: lockWaitMs, staleAfterMs: lockStaleAfterMs }).catch((error: unknown) => {
        throw new SecretStoreError(keychainFileErrors.inaccessible(path, reasonOf(error)));
      });
      if (!lock) throw new SecretStoreError(keychainFileErrors.busy(path));
      try {
        const opened = await openFile();
        const accounts = opened.entries.get(service) ?? new Map<string, string>();
        const { result, changed } = edit(accounts);
        if (changed) {
          opened.entries.set(service, accounts);
          await write(opened.entries, opened.key);
        }
        return result;
      } finally {
        await lock.release();
      }
    };
    const next = writes.then(run, run);
    writes = next.catch(() => undefined);
    return next;
  }

  const accountsOfService = async (): Promise<Map<string, string>> => (await openFile()).entries.get(service) ?? new Map();

  return {
    get: async (account) => (await accountsOfService()).get(account) ?? null,
    set: (account, secret) =>
      change((accounts) => {
        const changed = accounts.get(account) !== secret;
        accounts.set(account, secret);
        return { result: undefined, changed };
      }),
    delete: (account) =>
      change((accounts) => {
        const deleted = accounts.delete(account);
        return { result: deleted, changed: deleted };
      }),
    accounts: async () => [...(await accountsOfService()).keys()],
  };
}

/**
 * Replaces the file whole or not at all, even across a crash or a power cut: the new content goes to a
 * temporary file in the same folder (mode 0600 from its creation), is flushed to disk, renamed over the
 * old one (rename(2) is atomic within a file system), and the folder is flushed so the rename itself
 * survives (fsync(2): "Calling fsync() does not necessarily ensure that the entry in the directory
 * containing the file has also reached disk").
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temporary, 'wx', 0o600);
  try {
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

/** Windows can't open a folder for flushing (and NTFS journals the rename): there it is skipped. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOTDIR') return 'a part of its path is not a folder';
  return code ?? (error instanceof Error ? error.message : String(error));
}
