import { describe, expect, it } from 'vitest';
import { chunkedSecretStore, credentialManagerMaxBlobBytes } from '../../src/main/secrets/chunked-secret-store';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { SecretStoreError, type SecretStore } from '../../src/main/secrets/secret-store';
import { credentialManagerSizedStore } from '../support/credential-manager-sized-store';

const account = 'oauth/send/msal-cache';
/** Multi-byte characters (3 and 4 UTF-8 bytes, the latter a surrogate pair; 15 bytes a repeat) so parts are cut by bytes, not characters. */
const largeSecret = (seed: string, bytes = 7000): string => `${seed}:${'token-€-😀-'.repeat(Math.ceil(bytes / 15))}`;
const partsOf = (entries: ReadonlyMap<string, string>) => [...entries.keys()].filter((name) => name.startsWith(`${account}#g`));
const generationsOf = (entries: ReadonlyMap<string, string>) => new Set(partsOf(entries).map((name) => name.split('/').slice(0, -1).join('/')));

/** A keychain whose process dies after `writesBeforeCrash` writes or deletes: every later call throws. */
function crashingStore(store: SecretStore, writesBeforeCrash: number): SecretStore {
  let writes = 0;
  const alive = (): void => {
    if (writes >= writesBeforeCrash) throw new Error('the process was killed');
  };
  return {
    get: async (name) => (alive(), store.get(name)),
    set: async (name, secret) => {
      alive();
      writes += 1;
      await store.set(name, secret);
    },
    delete: async (name) => {
      alive();
      writes += 1;
      return store.delete(name);
    },
    accounts: async () => (alive(), store.accounts()),
  };
}

describe('chunked secrets: every secret fits one Credential Manager entry', () => {
  it('stores a small secret as it is, and reads values stored before chunking unchanged', async () => {
    const memory = createMemorySecretStore();
    await memory.set('send-direct/password', 'stored-by-an-older-version');
    const store = chunkedSecretStore(memory);
    expect(await store.get('send-direct/password')).toBe('stored-by-an-older-version');
    await store.set(account, 'small');
    expect(memory.entries.get(account)).toBe('small');
    expect(await store.get(account)).toBe('small');
    expect(await store.get('nothing/here')).toBeNull();
  });

  it('splits a large secret into parts of at most 2,560 UTF-8 bytes and joins them back exactly', async () => {
    const memory = createMemorySecretStore();
    const sized = credentialManagerSizedStore(memory);
    const store = chunkedSecretStore(sized);
    const secret = largeSecret('v1');
    expect(Buffer.byteLength(secret)).toBeGreaterThan(2 * credentialManagerMaxBlobBytes);

    await store.set(account, secret);
    expect(sized.refused).toEqual([]);
    expect(partsOf(memory.entries).length).toBeGreaterThanOrEqual(3);
    for (const value of memory.entries.values()) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(credentialManagerMaxBlobBytes);
    expect(await store.get(account)).toBe(secret);
    // Exactly the limit is still one entry; one byte more is split.
    await store.set('exact', 'x'.repeat(credentialManagerMaxBlobBytes));
    expect(memory.entries.get('exact')).toHaveLength(credentialManagerMaxBlobBytes);
  });

  it('lists logical account names only, never the parts', async () => {
    const store = chunkedSecretStore(createMemorySecretStore());
    await store.set(account, largeSecret('v1'));
    await store.set('send-direct/password', 'pw');
    expect((await store.accounts()).sort()).toEqual([account, 'send-direct/password'].sort());
  });

  it('replaces a large secret by a new generation and deletes the old parts; a small one leaves no parts', async () => {
    const memory = createMemorySecretStore();
    const store = chunkedSecretStore(memory);
    await store.set(account, largeSecret('v1'));
    const [first] = generationsOf(memory.entries);
    await store.set(account, largeSecret('v2'));
    expect(generationsOf(memory.entries).size).toBe(1);
    expect(generationsOf(memory.entries).has(first ?? '')).toBe(false);
    expect(await store.get(account)).toBe(largeSecret('v2'));
    await store.set(account, 'small now');
    expect(partsOf(memory.entries)).toEqual([]);
    expect(await store.get(account)).toBe('small now');
  });

  it('stores a secret that looks like a manifest in parts, so no stored value is ambiguous', async () => {
    const memory = createMemorySecretStore();
    const store = chunkedSecretStore(memory);
    await store.set(account, largeSecret('v1'));
    const manifestText = memory.entries.get(account) ?? '';
    await store.set('other', manifestText);
    expect(memory.entries.get('other')).not.toBe(manifestText);
    expect(await store.get('other')).toBe(manifestText);
  });

  it('a crash after any number of writes leaves the complete old value or the complete new one, never a mix', async () => {
    for (const [before, after] of [
      [largeSecret('old'), largeSecret('new', 9000)],
      ['old and small', largeSecret('new')],
      [largeSecret('old'), 'new and small'],
    ] as const) {
      for (let writes = 0; writes <= 12; writes += 1) {
        const memory = createMemorySecretStore();
        await chunkedSecretStore(memory).set(account, before);
        await chunkedSecretStore(crashingStore(memory, writes))
          .set(account, after)
          .catch(() => undefined);

        // The next start of the app reads what is there.
        const restarted = chunkedSecretStore(memory);
        expect([before, after]).toContain(await restarted.get(account));
        expect(await restarted.accounts()).toEqual([account]);

        // Deleting removes the manifest, the parts it names and any parts a crash orphaned.
        expect(await restarted.delete(account)).toBe(true);
        expect([...memory.entries.keys()]).toEqual([]);
      }
    }
  });

  it('after a crash, the next write works and only the crash leftovers remain until deleted', async () => {
    const memory = createMemorySecretStore();
    await chunkedSecretStore(memory).set(account, largeSecret('old'));
    await chunkedSecretStore(crashingStore(memory, 2)).set(account, largeSecret('new')).catch(() => undefined);
    const restarted = chunkedSecretStore(memory);
    await restarted.set(account, largeSecret('newer'));
    expect(await restarted.get(account)).toBe(largeSecret('newer'));
    expect(generationsOf(memory.entries).size).toBe(2); // the current one and the crash's orphan
    await restarted.delete(account);
    expect([...memory.entries.keys()]).toEqual([]);
  });

  it('a missing or changed part is reported as a damaged keychain entry, and delete still clears it', async () => {
    const memory = createMemorySecretStore();
    const store = chunkedSecretStore(memory);
    await store.set(account, largeSecret('v1'));
    const [firstPart, secondPart] = partsOf(memory.entries);
    await memory.set(firstPart ?? '', 'tampered');
    await expect(store.get(account)).rejects.toMatchObject({ appError: { code: 'KEYCHAIN_DAMAGED', message: expect.stringMatching(/incomplete/) } });
    await memory.delete(secondPart ?? '');
    await expect(store.get(account)).rejects.toBeInstanceOf(SecretStoreError);
    expect(await store.delete(account)).toBe(true);
    expect([...memory.entries.keys()]).toEqual([]);
  });

  it('a reader racing a writer in another process reads the manifest again and gets the new value', async () => {
    const memory = createMemorySecretStore();
    await chunkedSecretStore(memory).set(account, largeSecret('old'));
    const otherProcess = chunkedSecretStore(memory);
    let raced = false;
    const reader = chunkedSecretStore({
      ...memory,
      get: async (name) => {
        // Between our manifest read and our part reads, the other process commits and deletes the old parts.
        if (!raced && name !== account) {
          raced = true;
          await otherProcess.set(account, largeSecret('new'));
        }
        return memory.get(name);
      },
    });
    expect(await reader.get(account)).toBe(largeSecret('new'));
    expect(raced).toBe(true);
  });

  it('concurrent writes in one process leave one complete value and one generation of parts', async () => {
    const memory = createMemorySecretStore();
    const store = chunkedSecretStore(memory);
    const values = ['a', 'b', 'c', 'd'].map((seed) => largeSecret(seed));
    await Promise.all(values.map((value) => store.set(account, value)));
    expect(await store.get(account)).toBe(values.at(-1));
    expect(generationsOf(memory.entries).size).toBe(1);
  });

  it('refuses to treat a part name as a secret of its own', async () => {
    const store = chunkedSecretStore(createMemorySecretStore());
    await expect(store.set(`${account}#g0123456789abcdef/0`, 'x')).rejects.toThrow(TypeError);
  });
});
