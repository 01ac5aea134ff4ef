import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import { secretToolLookup } from '../../test/testbed/keyring';

/**
 * The keychain entry of the Send Direct password, as any other app (or the user) would look it up. Each
 * data directory has its own keychain service name (keychainServiceFor), so tests never share entries.
 */
export const sendDirectSecret = (dataDir: string, env: NodeJS.ProcessEnv = process.env) =>
  ({ service: keychainServiceFor(dataDir, env), account: 'send-direct/password' }) as const;

/**
 * The private, unlocked keyring the test bed's global setup starts (test/testbed/global-setup.ts). keytar in
 * this process and secret-tool must talk to the same bus, or a lookup would miss what the app stored.
 */
export function keyringBusAddress(): string {
  const address = process.env['DBUS_SESSION_BUS_ADDRESS'];
  if (!address) {
    throw new Error(
      'DBUS_SESSION_BUS_ADDRESS is not set: the e2e tests need the private keyring that the test bed starts. Run them with `npx vitest run --project e2e` from the project root (the global setup starts it).',
    );
  }
  return address;
}

/** `secret-tool lookup service 'Mail Settings (<data dir>)' account 'send-direct/password'`; null when there is none. */
export function lookupSendDirectPassword(dataDir: string, env?: NodeJS.ProcessEnv): Promise<string | null> {
  const { service, account } = sendDirectSecret(dataDir, env);
  return secretToolLookup(service, account, keyringBusAddress());
}

/** Each test starts from an empty data dir, so the keychain entry that goes with it must be empty too. */
export async function clearSendDirectPassword(dataDir: string, env?: NodeJS.ProcessEnv): Promise<void> {
  keyringBusAddress();
  const { service, account } = sendDirectSecret(dataDir, env);
  // Through keytar, like the app: `secret-tool clear` fails when there is nothing to clear.
  await createKeytarSecretStore(service).delete(account);
}

/** The keychain items of a mailbox's sign-in (secretAccounts in src/main/secrets/secret-store.ts). */
export const oauthSecretAccounts = ['oauth/send/msal-cache', 'oauth/send/tokens', 'oauth/send/client-secret'] as const;
export type OAuthSecretAccount = (typeof oauthSecretAccounts)[number];

/** `secret-tool lookup service 'Mail Settings (<data dir>)' account 'oauth/send/…'`; null when there is none. */
export function lookupOAuthSecret(dataDir: string, account: OAuthSecretAccount): Promise<string | null> {
  return secretToolLookup(keychainServiceFor(dataDir), account, keyringBusAddress());
}

/** Whatever a test left signed in is removed with its data dir. */
export async function clearOAuthSecrets(dataDir: string): Promise<void> {
  const store = createKeytarSecretStore(keychainServiceFor(dataDir));
  for (const account of oauthSecretAccounts) await store.delete(account);
}
