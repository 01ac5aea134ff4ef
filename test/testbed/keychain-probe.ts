/**
 * Run in a child process (see runKeychainProbe in client.ts): tries one round trip through the app's
 * keytar SecretStore with whatever D-Bus env it was given, and prints the outcome as one JSON line.
 */
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import { SecretStoreError } from '../../src/main/secrets/secret-store';

const store = createKeytarSecretStore(process.argv[2] ?? 'Mail Settings');
const account = process.argv[3] ?? 'testbed/probe';
try {
  await store.set(account, 'probe-secret');
  const read = await store.get(account);
  await store.delete(account);
  process.stdout.write(`${JSON.stringify({ ok: true, read })}\n`);
} catch (error) {
  if (error instanceof SecretStoreError) {
    process.stdout.write(`${JSON.stringify({ ok: false, name: error.name, code: error.appError.code, message: error.message })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ ok: false, name: 'unexpected', message: String(error) })}\n`);
  }
}
