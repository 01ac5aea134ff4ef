/**
 * Run in a child process (see runKeychainProbe and runKeychainOperation in client.ts) with whatever D-Bus env
 * it was given, and prints the outcome as one JSON line. Arguments: service, account, and what to do:
 * `round-trip` (the default: set, get, delete) or one of the store's operations `get`, `set`, `delete`,
 * `accounts`.
 */
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import { SecretStoreError } from '../../src/main/secrets/secret-store';

const [service = 'Mail Settings', account = 'testbed/probe', operation = 'round-trip'] = process.argv.slice(2);
const store = createKeytarSecretStore(service);

const operations: Record<string, () => Promise<unknown>> = {
  get: () => store.get(account),
  set: () => store.set(account, 'probe-secret'),
  delete: () => store.delete(account),
  accounts: () => store.accounts(),
};

async function roundTrip(): Promise<{ read: string | null }> {
  await store.set(account, 'probe-secret');
  const read = await store.get(account);
  await store.delete(account);
  return { read };
}

try {
  const chosen = operations[operation];
  const outcome = chosen === undefined ? await roundTrip() : { value: (await chosen()) ?? null };
  process.stdout.write(`${JSON.stringify({ ok: true, ...outcome })}\n`);
} catch (error) {
  if (error instanceof SecretStoreError) {
    const { code, fix } = error.appError;
    process.stdout.write(`${JSON.stringify({ ok: false, name: error.name, code, message: error.message, fix })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ ok: false, name: 'unexpected', message: String(error) })}\n`);
  }
}
