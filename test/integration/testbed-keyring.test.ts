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

  it.each(['bus-without-keyring', 'no-bus'] as const)('with %s the store throws SecretStoreError', async (kind) => {
    const result = await runKeychainProbe(envWithoutKeychain(kind));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.name).toBe('SecretStoreError');
    expect(['KEYCHAIN_UNAVAILABLE', 'KEYCHAIN_LOCKED']).toContain(result.code);
  });
});
