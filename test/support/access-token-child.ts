/**
 * A second program on the same data directory asking for a mailbox's access token, as the app, `serve`
 * and a cron `retrieve` do (see refresh-children.ts). It starts the real runtime (real keychain, real
 * providers pointed at the local identity provider) and talks to its parent over Node's IPC channel:
 * `{ request }` in, `{ ready }`, `{ holdingWrite }` and `{ result }` out; `'go'` starts the request and
 * `'write'` lets a held keychain write through.
 */
import type { ValidAccessToken } from '../../src/main/accounts/account-service';
import { startRuntime } from '../../src/main/node-runtime';
import type { ProviderDefaults } from '../../src/main/oauth/providers/provider-config';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';
import type { Mailbox } from '../../src/shared/accounts';
import type { Result } from '../../src/shared/errors';

export interface AccessTokenRequest {
  readonly dataDir: string;
  readonly providerDefaults: ProviderDefaults;
  readonly mailbox: Mailbox;
  readonly forceRefresh: boolean;
  /** The keychain item (and its parts) whose first write waits for the parent's `'write'`. */
  readonly slowWritesOf: string;
}

export type AccessTokenChildMessage =
  | { readonly ready: true }
  | { readonly holdingWrite: true }
  | { readonly result: Result<ValidAccessToken> };

const send = (message: AccessTokenChildMessage): Promise<void> => new Promise((resolve) => process.send?.(message, undefined, undefined, () => resolve()));
const nextMessage = (): Promise<unknown> => new Promise((resolve) => process.once('message', resolve));

/** A keychain slow to write one item (as one that asks to be unlocked is): the first write waits for the parent. */
function slowToWrite(store: SecretStore, item: string): SecretStore {
  let held = false;
  return {
    ...store,
    set: async (account, secret) => {
      if (!held && (account === item || account.startsWith(`${item}#`))) {
        held = true;
        await send({ holdingWrite: true });
        await nextMessage();
      }
      await store.set(account, secret);
    },
  };
}

const { request } = (await nextMessage()) as { request: AccessTokenRequest };
const runtime = await startRuntime({
  dataDir: request.dataDir,
  openSettings: openConfSettings,
  externalOpener: { open: async () => undefined },
  providerDefaults: request.providerDefaults,
  accountCheckIntervalMs: 0,
  secrets: slowToWrite(createKeytarSecretStore(keychainServiceFor(request.dataDir)), request.slowWritesOf),
});
await send({ ready: true });
await nextMessage();
const result = await runtime.services.accounts.accessToken(request.mailbox, { forceRefresh: request.forceRefresh });
await send({ result });
await runtime.stop();
process.disconnect();
