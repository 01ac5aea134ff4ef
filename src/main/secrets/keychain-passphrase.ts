import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, type AppError } from '../../shared/errors';
import { SecretStoreError } from './secret-store';

/**
 * The name of the keychain file's passphrase as a systemd credential: a unit with
 * `LoadCredential=mail-settings-keychain:/etc/mail-settings/keychain-passphrase` finds it in
 * `$CREDENTIALS_DIRECTORY/mail-settings-keychain`, readable by the service alone (systemd.exec(5), "Credentials").
 */
export const keychainCredentialName = 'mail-settings-keychain';

/** Where the passphrase comes from: a file named on the command line, else the systemd credential. */
export interface KeychainPassphraseSource {
  readonly passphraseFile: string | null;
  readonly env: NodeJS.ProcessEnv;
}

/** A passphrase is a line of text; anything this large is the wrong file. */
const maxPassphraseFileBytes = 64 * 1024;

const howToGiveIt =
  `Put the passphrase in a file that only you can read (chmod 600) and name it with --keychain-passphrase-file FILE; in a systemd service, load it as the credential ${keychainCredentialName} (LoadCredential=${keychainCredentialName}:FILE). It is never taken from the command line or an environment variable, where other programs could see it.`;

export const passphraseErrors = {
  notGiven: (keychainFile: string): AppError => ({
    code: ErrorCode.KeychainPassphraseMissing,
    message: `Mail Settings has no passphrase for the keychain file ${keychainFile}.`,
    fix: howToGiveIt,
  }),
  unreadable: (passphraseFile: string, reason: string): AppError => ({
    code: ErrorCode.KeychainPassphraseMissing,
    message: `The passphrase file ${passphraseFile} can’t be read (${reason}).`,
    fix: howToGiveIt,
  }),
  empty: (passphraseFile: string): AppError => ({
    code: ErrorCode.KeychainPassphraseMissing,
    message: `The passphrase file ${passphraseFile} is empty.`,
    fix: howToGiveIt,
  }),
  notAFile: (passphraseFile: string): AppError => ({
    code: ErrorCode.KeychainPassphraseFileUnsafe,
    message: `The passphrase file ${passphraseFile} is not a regular file.`,
    fix: howToGiveIt,
  }),
  readableByOthers: (passphraseFile: string, mode: number): AppError => ({
    code: ErrorCode.KeychainPassphraseFileUnsafe,
    message: `The passphrase file ${passphraseFile} can be read by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}), so Mail Settings does not use it.`,
    fix: `Make it readable by its owner only (chmod 600 ${passphraseFile}), then try again. Nothing was read from it.`,
  }),
} as const;

/** The passphrase file to use, or null when neither the command line nor systemd gives one. */
export function passphraseFileOf(source: KeychainPassphraseSource): string | null {
  if (source.passphraseFile !== null) return source.passphraseFile;
  const credentials = source.env['CREDENTIALS_DIRECTORY'];
  return credentials ? join(credentials, keychainCredentialName) : null;
}

/**
 * Reads the keychain file's passphrase: the file's first line (a final line break, as editors and `echo`
 * leave, is not part of it). A file that others may read is refused before a byte of it is read: the
 * passphrase would be as public as the file. Windows has no such mode bits (its ACLs decide), so there the
 * check is left to the folder's permissions.
 */
export async function readKeychainPassphrase(keychainFile: string, source: KeychainPassphraseSource): Promise<string> {
  const path = passphraseFileOf(source);
  if (path === null) throw new SecretStoreError(passphraseErrors.notGiven(keychainFile));
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new SecretStoreError(passphraseErrors.unreadable(path, reasonOf(error)));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new SecretStoreError(passphraseErrors.notAFile(path));
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) throw new SecretStoreError(passphraseErrors.readableByOthers(path, info.mode));
    if (info.size > maxPassphraseFileBytes) throw new SecretStoreError(passphraseErrors.unreadable(path, `larger than ${maxPassphraseFileBytes / 1024} KiB`));
    const text = (await handle.readFile('utf8')).replace(/\r?\n$/, '');
    if (text.length === 0) throw new SecretStoreError(passphraseErrors.empty(path));
    return text;
  } finally {
    await handle.close();
  }
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (error instanceof Error ? error.message : String(error));
}
