import { createCipheriv, createDecipheriv, hkdf, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * The keychain file (`--keychain-file`): every secret of every data directory that uses it, encrypted with a
 * key made from a passphrase. Only Node's own crypto (OpenSSL) is used, so the file opens alike in the CLI
 * and in the desktop app:
 * - the passphrase becomes a master key through scrypt (RFC 7914) with a random salt of the file, at the
 *   cost OWASP's Password Storage Cheat Sheet gives as the minimum (N = 2^17, r = 8, p = 1: 128 MiB, a few
 *   tenths of a second). Argon2id is not used: node:crypto has it only from Node 24.7, and the CLI runs
 *   on Node 22;
 * - every write draws a fresh random salt, from which HKDF-SHA256 (RFC 5869) makes that write's own
 *   AES-256-GCM key, and a fresh random 96-bit nonce (NIST SP 800-38D). This is the per-message key of
 *   Tink's AES-GCM-HKDF streaming AEAD: no key ever encrypts two writes, and the slow scrypt runs once per process
 *   and file, not once per write (a token refresh writes several entries in a row);
 * - the header (format, version, every parameter) is the cipher's additional data, so a changed header
 *   fails the tag as a changed ciphertext does;
 * - a passphrase check (HKDF of the master key with its own label) tells a wrong passphrase apart from a
 *   damaged file. It lets nobody test a guess faster than the tag itself would: each guess still costs
 *   a whole scrypt.
 */

export const keychainFileFormat = 'mail-settings/keychain-file';
export const keychainFileVersion = 1;

export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const defaultScryptParameters: ScryptParameters = { N: 2 ** 17, r: 8, p: 1 };

/** What a file may ask for: a file that asks for gigabytes of memory is refused, not obeyed. */
const scryptLimits = { minLogN: 14, maxLogN: 20, maxR: 32, maxP: 16, maxMemoryBytes: 1024 * 1024 * 1024 } as const;

/** The passphrase's part of the header: the same for every write of one file. */
export interface KeyDerivation extends ScryptParameters {
  readonly salt: Buffer;
  readonly check: Buffer;
}

/** secret by account, by keychain service (one service per data directory, as in the OS keychain). */
export type KeychainEntries = Map<string, Map<string, string>>;

/** Why a file could not be opened; the store says it with the file's name. */
export type KeychainFileProblem = 'wrong-passphrase' | 'damaged' | 'newer-version';

export class KeychainFileUnreadable extends Error {
  constructor(readonly problem: KeychainFileProblem, detail: string) {
    super(detail);
    this.name = 'KeychainFileUnreadable';
  }
}

interface Header {
  readonly format: string;
  readonly version: number;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string; readonly check: string };
  readonly key: { readonly name: 'hkdf-sha256'; readonly salt: string };
  readonly cipher: { readonly name: 'aes-256-gcm'; readonly nonce: string };
}

interface SealedFile extends Header {
  readonly ciphertext: string;
  readonly tag: string;
}

const checkLabel = `${keychainFileFormat} ${keychainFileVersion}: passphrase check`;
const keyLabel = `${keychainFileFormat} ${keychainFileVersion}: aes-256-gcm key`;

function scryptAsync(passphrase: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(passphrase, salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))));
}

function hkdfSha256(key: Buffer, salt: Buffer, info: string): Promise<Buffer> {
  return new Promise((resolve, reject) => hkdf('sha256', key, salt, info, 32, (error, derived) => (error ? reject(error) : resolve(Buffer.from(derived)))));
}

/** scrypt's memory is 128·N·r bytes; Node refuses more than its maxmem, 32 MiB unless raised. */
function scryptOptions({ N, r, p }: ScryptParameters): ScryptOptions {
  return { N, r, p, maxmem: 2 * 128 * N * r };
}

export function masterKeyOf(passphrase: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  return scryptAsync(passphrase.normalize('NFC'), salt, scryptOptions(parameters));
}

export const passphraseCheckOf = (masterKey: Buffer): Promise<Buffer> => hkdfSha256(masterKey, Buffer.alloc(0), checkLabel);

/** A new file's key derivation: a random salt, today's cost, and the check of the passphrase. */
export async function newKeyDerivation(passphrase: string, parameters: ScryptParameters = defaultScryptParameters): Promise<{ kdf: KeyDerivation; masterKey: Buffer }> {
  const salt = randomBytes(16);
  const masterKey = await masterKeyOf(passphrase, salt, parameters);
  return { kdf: { ...parameters, salt, check: await passphraseCheckOf(masterKey) }, masterKey };
}

/** The additional data: the header as one canonical string, whatever order the file had its keys in. */
function additionalDataOf(header: Header): Buffer {
  const { format, version, kdf, key, cipher } = header;
  return Buffer.from(JSON.stringify([format, version, kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt, kdf.check, key.name, key.salt, cipher.name, cipher.nonce]), 'utf8');
}

function plaintextOf(entries: KeychainEntries): Buffer {
  const services: Record<string, Record<string, string>> = {};
  for (const [service, accounts] of entries) {
    if (accounts.size > 0) services[service] = Object.fromEntries(accounts);
  }
  return Buffer.from(JSON.stringify({ services }), 'utf8');
}

/** Encrypts the entries for one write: a new key salt and nonce every time. */
export async function sealKeychain(entries: KeychainEntries, kdf: KeyDerivation, masterKey: Buffer): Promise<string> {
  const keySalt = randomBytes(32);
  const nonce = randomBytes(12);
  const header: Header = {
    format: keychainFileFormat,
    version: keychainFileVersion,
    kdf: { name: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p, salt: kdf.salt.toString('base64'), check: kdf.check.toString('base64') },
    key: { name: 'hkdf-sha256', salt: keySalt.toString('base64') },
    cipher: { name: 'aes-256-gcm', nonce: nonce.toString('base64') },
  };
  const cipher = createCipheriv('aes-256-gcm', await hkdfSha256(masterKey, keySalt, keyLabel), nonce);
  cipher.setAAD(additionalDataOf(header));
  const ciphertext = Buffer.concat([cipher.update(plaintextOf(entries)), cipher.final()]);
  const sealed: SealedFile = { ...header, ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  return `${JSON.stringify(sealed, null, 2)}\n`;
}

/** A file's text, read far enough to know its key derivation; the secrets stay sealed until `openKeychain`. */
export interface ParsedKeychainFile {
  readonly kdf: KeyDerivation;
  readonly sealed: SealedFile;
}

const damaged = (detail: string): KeychainFileUnreadable => new KeychainFileUnreadable('damaged', detail);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function base64Field(record: Record<string, unknown>, name: string, bytes?: number): Buffer {
  const value = record[name];
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw damaged(`${name} is not base64`);
  const decoded = Buffer.from(value, 'base64');
  if (bytes !== undefined && decoded.length !== bytes) throw damaged(`${name} is not ${bytes} bytes`);
  return decoded;
}

function checkScryptParameters(N: unknown, r: unknown, p: unknown): ScryptParameters {
  if (typeof N !== 'number' || typeof r !== 'number' || typeof p !== 'number' || ![N, r, p].every(Number.isSafeInteger)) throw damaged('scrypt parameters are not integers');
  const logN = Math.log2(N);
  const acceptable =
    Number.isInteger(logN) && logN >= scryptLimits.minLogN && logN <= scryptLimits.maxLogN && r >= 1 && r <= scryptLimits.maxR && p >= 1 && p <= scryptLimits.maxP &&
    128 * N * r <= scryptLimits.maxMemoryBytes;
  if (!acceptable) throw damaged(`scrypt parameters N=${N} r=${r} p=${p} are out of bounds`);
  return { N, r, p };
}

export function parseKeychainFile(text: string): ParsedKeychainFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged('not JSON');
  }
  if (!isRecord(value) || value['format'] !== keychainFileFormat) throw damaged('not a keychain file');
  const version = value['version'];
  if (typeof version === 'number' && version > keychainFileVersion) throw new KeychainFileUnreadable('newer-version', `format version ${version}`);
  if (version !== keychainFileVersion) throw damaged(`unknown format version ${String(version)}`);
  const { kdf, key, cipher } = value;
  if (!isRecord(kdf) || kdf['name'] !== 'scrypt' || !isRecord(key) || key['name'] !== 'hkdf-sha256' || !isRecord(cipher) || cipher['name'] !== 'aes-256-gcm') {
    throw damaged('unknown algorithms');
  }
  const parameters = checkScryptParameters(kdf['N'], kdf['r'], kdf['p']);
  const salt = base64Field(kdf, 'salt', 16);
  const check = base64Field(kdf, 'check', 32);
  base64Field(key, 'salt', 32);
  base64Field(cipher, 'nonce', 12);
  base64Field(value, 'ciphertext');
  base64Field(value, 'tag', 16);
  return { kdf: { ...parameters, salt, check }, sealed: value as unknown as SealedFile };
}

/** True when `masterKey` is the one the file was written with (the passphrase is right). */
export async function passphraseMatches(kdf: KeyDerivation, masterKey: Buffer): Promise<boolean> {
  return timingSafeEqual(await passphraseCheckOf(masterKey), kdf.check);
}

/** Decrypts a parsed file with its master key (already checked by `passphraseMatches`). */
export async function openKeychain(parsed: ParsedKeychainFile, masterKey: Buffer): Promise<KeychainEntries> {
  const { sealed } = parsed;
  const decipher = createDecipheriv('aes-256-gcm', await hkdfSha256(masterKey, Buffer.from(sealed.key.salt, 'base64'), keyLabel), Buffer.from(sealed.cipher.nonce, 'base64'));
  decipher.setAAD(additionalDataOf(sealed));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    throw damaged('the authentication tag does not match');
  }
  return entriesOf(plaintext);
}

function entriesOf(plaintext: Buffer): KeychainEntries {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw damaged('the decrypted content is not JSON');
  }
  const services = isRecord(value) ? value['services'] : undefined;
  if (!isRecord(services)) throw damaged('the decrypted content has no services');
  const entries: KeychainEntries = new Map();
  for (const [service, accounts] of Object.entries(services)) {
    if (!isRecord(accounts)) throw damaged('a service is not a map of accounts');
    const secrets = new Map<string, string>();
    for (const [account, secret] of Object.entries(accounts)) {
      if (typeof secret !== 'string') throw damaged('a secret is not text');
      secrets.set(account, secret);
    }
    entries.set(service, secrets);
  }
  return entries;
}
