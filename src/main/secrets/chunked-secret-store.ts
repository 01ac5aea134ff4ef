import { createHash, randomBytes } from 'node:crypto';
import { keychainErrors, SecretStoreError, type SecretStore } from './secret-store';

/**
 * The largest secret Windows Credential Manager keeps: CRED_MAX_CREDENTIAL_BLOB_SIZE, 5 * 512 bytes
 * (wincred.h; the CREDENTIALW documentation). @github/keytar 7.10 stores the UTF-8 bytes of the string:
 * src/main.cc converts the JavaScript string with `info[2].As<Napi::String>()` into a std::string (UTF-8),
 * and src/keytar_win.cc writes `CredentialBlobSize = password.size()`. So the limit counts UTF-8 bytes, not
 * characters; above it CredWrite fails with "The stub received bad data" (atom/node-keytar#112).
 */
export const credentialManagerMaxBlobBytes = 2560;

/** What the keychain holds under the logical account name when the secret was split. */
interface Manifest {
  readonly generation: string;
  readonly parts: number;
  readonly sha256: string;
}

const manifestFormat = 'mail-settings/chunked-secret/1';
const generationPattern = /^[0-9a-f]{16}$/;
/** `<account>#g<generation>/<index>`: the keychain name of one part. */
const partNamePattern = /^(.*)#g([0-9a-f]{16})\/(\d+)$/;

/** Reads of a secret that keeps changing under us before we give up (each change is a whole write elsewhere). */
const maxReadAttempts = 5;

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');
const sha256Of = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const partName = (account: string, generation: string, index: number): string => `${account}#g${generation}/${index}`;

function serializeManifest(manifest: Manifest): string {
  return JSON.stringify({ format: manifestFormat, ...manifest });
}

/** The manifest a stored value is, or null for a secret stored as it is (every value written before chunking). */
function manifestOf(stored: string | null): Manifest | null {
  if (stored === null || !stored.startsWith(`{"format":"${manifestFormat}"`)) return null;
  try {
    const value = JSON.parse(stored) as Partial<Manifest> & { format?: unknown };
    const { generation, parts, sha256 } = value;
    if (value.format !== manifestFormat || typeof generation !== 'string' || !generationPattern.test(generation)) return null;
    if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 1 || typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return null;
    return { generation, parts, sha256 };
  } catch {
    return null;
  }
}

/** Splits on code-point boundaries (never inside a surrogate pair) into parts of at most `maxBytes` UTF-8 bytes. */
function splitUtf8(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const codePoint of text) {
    const size = byteLength(codePoint);
    if (currentBytes + size > maxBytes) {
      parts.push(current);
      current = '';
      currentBytes = 0;
    }
    current += codePoint;
    currentBytes += size;
  }
  if (current !== '') parts.push(current);
  return parts;
}

export interface ChunkedSecretStoreOptions {
  /** The largest value written to the keychain in one entry; Credential Manager's limit unless given. */
  readonly maxEntryBytes?: number;
}

/**
 * Makes every secret fit every keychain, on every platform alike: a secret larger than one keychain entry
 * may hold (an Office 365 token cache is) is split into numbered parts. Safe against a crash at any point:
 *
 * 1. the parts are written under a new generation id (`<account>#g<id>/<n>`), which nothing points to yet;
 * 2. then the manifest at `<account>` names the generation, the part count and the SHA-256 of the whole:
 *    this single write is the commit, so a reader sees either the old manifest (whose parts are intact) or
 *    the new one (whose parts were all written before it);
 * 3. then the previous generation's parts are deleted.
 *
 * A crash leaves at most unreferenced parts behind; `delete` removes them with the rest. A secret that fits
 * one entry is stored as it is, so values already in users' keychains read back unchanged. Reads follow the
 * manifest and check the digest.
 */
export function chunkedSecretStore(store: SecretStore, options: ChunkedSecretStoreOptions = {}): SecretStore {
  const maxEntryBytes = options.maxEntryBytes ?? credentialManagerMaxBlobBytes;
  // One operation per account at a time within this process: a read-modify-write (read the previous
  // manifest, write, delete its parts) must not interleave with another one on the same account.
  const queues = new Map<string, Promise<unknown>>();
  function serialized<T>(account: string, task: () => Promise<T>): Promise<T> {
    const next = (queues.get(account) ?? Promise.resolve()).then(task, task);
    const settled = next.catch(() => undefined);
    queues.set(account, settled);
    void settled.then(() => {
      if (queues.get(account) === settled) queues.delete(account);
    });
    return next;
  }

  function requireLogicalName(account: string): void {
    if (partNamePattern.test(account)) throw new TypeError(`“${account}” is the name of a part of a chunked secret, not a secret.`);
  }

  /** The whole secret, or null when a part is missing or the digest does not match. */
  async function readParts(account: string, manifest: Manifest): Promise<string | null> {
    let joined = '';
    for (let index = 0; index < manifest.parts; index += 1) {
      const part = await store.get(partName(account, manifest.generation, index));
      if (part === null) return null;
      joined += part;
    }
    return sha256Of(joined) === manifest.sha256 ? joined : null;
  }

  async function deleteGeneration(account: string, manifest: Manifest): Promise<void> {
    for (let index = 0; index < manifest.parts; index += 1) await store.delete(partName(account, manifest.generation, index));
  }

  async function read(account: string): Promise<string | null> {
    let previous: string | null = null;
    // Another process (the CLI beside the app) may replace the secret between reading the manifest and
    // its parts; it deletes the old parts only after its new manifest is in place, so reading the manifest
    // again finds complete parts. The same manifest twice with broken parts is damage, not a race.
    for (let attempt = 0; attempt < maxReadAttempts; attempt += 1) {
      const stored = await store.get(account);
      const manifest = manifestOf(stored);
      if (manifest === null) return stored;
      if (stored === previous) break;
      const joined = await readParts(account, manifest);
      if (joined !== null) return joined;
      previous = stored;
    }
    throw new SecretStoreError(keychainErrors.damaged);
  }

  async function write(account: string, secret: string): Promise<void> {
    const previous = manifestOf(await store.get(account));
    // A secret that looks like a manifest is split too, so a stored value is never ambiguous.
    if (byteLength(secret) <= maxEntryBytes && manifestOf(secret) === null) {
      await store.set(account, secret);
    } else {
      const generation = randomBytes(8).toString('hex');
      const parts = splitUtf8(secret, maxEntryBytes);
      for (const [index, part] of parts.entries()) await store.set(partName(account, generation, index), part);
      await store.set(account, serializeManifest({ generation, parts: parts.length, sha256: sha256Of(secret) }));
    }
    // The new value is committed: failing to tidy up must not report the write as failed. Parts left
    // behind are unreferenced, and `delete` removes them. Only the generation this write replaced is
    // deleted, never "every other part": that could be the parts of another process's write in progress.
    if (previous) await deleteGeneration(account, previous).catch(() => undefined);
  }

  async function remove(account: string): Promise<boolean> {
    // The manifest first: from then on the parts are unreferenced, whatever happens next.
    const deleted = await store.delete(account);
    const leftovers = (await store.accounts()).filter((name) => partNamePattern.exec(name)?.[1] === account);
    for (const name of leftovers) await store.delete(name);
    return deleted;
  }

  return {
    get: async (account) => {
      requireLogicalName(account);
      return serialized(account, () => read(account));
    },
    set: async (account, secret) => {
      requireLogicalName(account);
      return serialized(account, () => write(account, secret));
    },
    delete: async (account) => {
      requireLogicalName(account);
      return serialized(account, () => remove(account));
    },
    accounts: async () => [...new Set((await store.accounts()).filter((name) => !partNamePattern.test(name)))],
  };
}
