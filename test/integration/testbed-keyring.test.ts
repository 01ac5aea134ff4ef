import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import { envWithoutKeychain, runKeychainProbe, secretToolLookup } from '../testbed/client';

describe('test bed: keyring', () => {
  it('workers inherit the private bus address from the global setup', () => {
    expect(process.env['DBUS_SESSION_BUS_ADDRESS']).toBe(inject('testbed').keyring.busAddress);
  });

  it('child processes of a worker inherit it too', async () => {
    const printed = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-p', 'process.env.DBUS_SESSION_BUS_ADDRESS'], (error, stdout) =>
        error ? reject(error) : resolve(stdout.trim()),
      ),
    );
    expect(printed).toBe(inject('testbed').keyring.busAddress);
  });

  it("round-trips the app's secret store through the real keyring, and secret-tool sees the item", async () => {
    const store = createKeytarSecretStore();
    const account = `testbed/${randomUUID()}`;
    const secret = `s3cret-${randomUUID()}`;
    await store.set(account, secret);
    expect(await store.get(account)).toBe(secret);
    expect(await store.accounts()).toContain(account);
    expect(await secretToolLookup('Mail Settings', account)).toBe(secret);
    expect(await store.delete(account)).toBe(true);
    expect(await store.get(account)).toBeNull();
    expect(await secretToolLookup('Mail Settings', account)).toBeNull();
  });

  it('the same store works in a child process with the inherited env', async () => {
    expect(await runKeychainProbe(process.env)).toEqual({ ok: true, read: 'probe-secret' });
  });

  // Each state gets its own words: told to "unlock" a keyring that does not exist, or to "start a desktop
  // session" while sitting in one, the user would be sent the wrong way.
  it('with no session bus, the store says it cannot reach the keychain (not that it is locked)', async () => {
    expect(await runKeychainProbe(envWithoutKeychain('no-bus'))).toEqual({
      ok: false,
      name: 'SecretStoreError',
      code: 'KEYCHAIN_UNAVAILABLE',
      message: 'Mail Settings can’t reach your system keychain, where it keeps passwords and sign-ins.',
      fix: `Sign in to a desktop session that runs a keyring (on Linux: GNOME Keyring or KWallet through the Secret Service; the package libsecret-1-0 must be installed), then try again. On a server without a desktop, run the command in a D-Bus session with GNOME Keyring unlocked: dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets < KEYRING_PASSWORD_FILE && mail-settings COMMAND'. Or keep the secrets in a file, encrypted with a passphrase that only you can read: mail-settings --keychain-file FILE --keychain-passphrase-file PASSPHRASE_FILE COMMAND. Nothing was saved in plain text.`,
    });
  });

  it('with a session bus but no Secret Service on it, the store says no keyring is running and how to start one', async () => {
    expect(await runKeychainProbe(envWithoutKeychain('bus-without-keyring'))).toEqual({
      ok: false,
      name: 'SecretStoreError',
      code: 'KEYCHAIN_UNAVAILABLE',
      message: 'No keyring is running in your session, so Mail Settings has nowhere to keep passwords and sign-ins.',
      fix: `Start a keyring that offers the Secret Service, then try again: GNOME Keyring with its password on standard input (gnome-keyring-daemon --unlock --components=secrets < KEYRING_PASSWORD_FILE), or KWallet, or KeePassXC with Secret Service integration on. Or keep the secrets in a file, encrypted with a passphrase that only you can read: mail-settings --keychain-file FILE --keychain-passphrase-file PASSPHRASE_FILE COMMAND. Nothing was saved in plain text.`,
    });
  });
});
