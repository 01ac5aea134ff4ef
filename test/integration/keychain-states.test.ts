import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainErrors } from '../../src/main/secrets/secret-store';
import { envOnBus, envWithoutKeychain, runKeychainOperation, type KeychainOperation } from '../testbed/client';
import { collectionLocked, lockCollections, loginCollectionPath, startKeyring, type RunningKeyring } from '../testbed/keyring';

/**
 * What the app's keytar SecretStore tells the user in each real keychain state, per operation. Each state
 * runs in child processes (libsecret keeps its first D-Bus connection). The locked and the never-set-up
 * keyrings are this file's own gnome-keyring-daemons: locking the shared one would fail the files running
 * beside this one.
 */

const operations: readonly KeychainOperation[] = ['get', 'set', 'delete', 'accounts'];

const told = (error: { code: string; message: string; fix: string }) => ({ ok: false, name: 'SecretStoreError', ...error });

describe.each(['no-bus', 'bus-without-keyring'] as const)('keychain state: %s', (kind) => {
  const expected = kind === 'no-bus' ? keychainErrors.unavailable : keychainErrors.noKeyringService;

  it.each(operations)('%s fails with this state’s code, message and fix (a read is not taken for "nothing stored")', async (operation) => {
    expect(await runKeychainOperation(envWithoutKeychain(kind), operation)).toEqual(told(expected));
  });
});

describe('keychain state: the bus address of a session that ended (its socket is gone)', () => {
  const goneBus = `unix:path=${join(tmpdir(), `kc-states-gone-${randomUUID()}.sock`)}`;

  it.each(operations)('%s says the keychain can’t be reached, as with no bus at all', async (operation) => {
    expect(await runKeychainOperation(envOnBus(goneBus), operation)).toEqual(told(keychainErrors.unavailable));
  });
});

let dir: string;
/** An XDG_RUNTIME_DIR whose `bus` is the locked keyring's bus, as systemd's user session provides it. */
let runtimeDirWithBus: string;
let lockedKeyring: RunningKeyring;
let unsetKeyring: RunningKeyring;
const storedAccount = 'keychain-states/stored-before-locking';

beforeAll(async () => {
  // Short: the bus sockets live in here, and a unix socket path must stay under ~107 bytes.
  dir = await mkdtemp(join(tmpdir(), 'kc-states-'));
  [lockedKeyring, unsetKeyring] = await Promise.all([startKeyring(join(dir, 'locked')), startKeyring(join(dir, 'unset'), { loginKeyring: false })]);
  expect(await runKeychainOperation(envOnBus(lockedKeyring.address), 'set', storedAccount)).toEqual({ ok: true, value: null });
  await lockCollections(lockedKeyring.address, [loginCollectionPath]);
  expect(await collectionLocked(lockedKeyring.address, loginCollectionPath)).toBe(true);
  runtimeDirWithBus = join(dir, 'runtime');
  await mkdir(runtimeDirWithBus, { mode: 0o700 });
  await symlink(lockedKeyring.address.replace(/^unix:path=/, ''), join(runtimeDirWithBus, 'bus'));
});

afterAll(async () => {
  await Promise.all([lockedKeyring?.stop(), unsetKeyring?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('keychain state: the login keyring is locked (and no prompt can show to unlock it)', () => {
  const lockedError = told(keychainErrors.locked);

  it('KEYCHAIN_LOCKED has its own words: unlock the login keyring', () => {
    expect(keychainErrors.locked).toEqual({
      code: 'KEYCHAIN_LOCKED',
      message: 'Your system keychain is locked, so Mail Settings can’t read or store passwords.',
      fix: `Unlock your login keyring (signing out and back in usually does it), then try again. Without a desktop, unlock it with its password on standard input: gnome-keyring-daemon --replace --unlock --components=secrets < KEYRING_PASSWORD_FILE. Nothing was saved in plain text.`,
    });
  });

  it('storing is refused as locked', async () => {
    expect(await runKeychainOperation(envOnBus(lockedKeyring.address), 'set', 'keychain-states/new')).toEqual(lockedError);
  });

  it('reading a stored password says locked, not "no password stored"', async () => {
    expect(await runKeychainOperation(envOnBus(lockedKeyring.address), 'get', storedAccount)).toEqual(lockedError);
  });

  it('deleting says locked, not "there was nothing to delete", and the item stays', async () => {
    expect(await runKeychainOperation(envOnBus(lockedKeyring.address), 'delete', storedAccount)).toEqual(lockedError);
    expect(await runKeychainOperation(envOnBus(lockedKeyring.address), 'get', storedAccount)).toEqual(lockedError);
  });

  it('listing the stored accounts says locked instead of crashing the process', async () => {
    expect(await runKeychainOperation(envOnBus(lockedKeyring.address), 'accounts')).toEqual(lockedError);
  });

  it('with no DBUS_SESSION_BUS_ADDRESS but a bus at $XDG_RUNTIME_DIR/bus (where libsecret then looks), reading still says locked', async () => {
    const env: NodeJS.ProcessEnv = { ...envOnBus(lockedKeyring.address), XDG_RUNTIME_DIR: runtimeDirWithBus };
    delete env['DBUS_SESSION_BUS_ADDRESS'];
    expect(await runKeychainOperation(env, 'get', storedAccount)).toEqual(lockedError);
  });

  it('reading a password that was never stored is still "nothing stored": only our locked items count', async () => {
    expect(await runKeychainOperation(envOnBus(lockedKeyring.address), 'get', 'keychain-states/never-stored')).toEqual({ ok: true, value: null });
  });
});

describe('keychain state: a keyring that was never set up (no login keyring, no default alias)', () => {
  it('storing says there is no default keyring to create, not that one is locked', async () => {
    expect(await runKeychainOperation(envOnBus(unsetKeyring.address), 'set', 'keychain-states/new')).toEqual(told(keychainErrors.noDefaultKeyring));
    expect(keychainErrors.noDefaultKeyring).toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: 'Your system keychain has no default keyring, so Mail Settings has nowhere to keep passwords and sign-ins.',
    });
  });

  it('reading finds nothing stored, which is true', async () => {
    expect(await runKeychainOperation(envOnBus(unsetKeyring.address), 'get', 'keychain-states/new')).toEqual({ ok: true, value: null });
  });
});
