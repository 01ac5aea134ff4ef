import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRuntime } from '../../src/main/node-runtime';
import { createSystemOpener } from '../../src/main/platform/system-opener';
import { openConfSettings } from '../../src/main/settings/settings-store';
import { runCli } from '../support/run-cli';

describe('mail-settings status (the built CLI, real keyring)', () => {
  // A data dir per test: "an empty data directory" stays empty whatever ran before.
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('prints valid JSON for an empty data directory', async () => {
    const { code, stdout } = await runCli(['status', '--json', '--data-dir', dataDir]);
    expect(code).toBe(0);
    const status = JSON.parse(stdout);
    expect(status).toMatchObject({ dataDir, keychain: { available: true }, sendDirect: { configured: false, passwordStored: false } });
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('shows what the app saved, from the data directory named by the environment', async () => {
    const runtime = await startRuntime({ dataDir, openSettings: openConfSettings, externalOpener: createSystemOpener(), accountCheckIntervalMs: 0 });
    const settings = {
      serverName: 'smtp.example.test', senderName: 'Sales', senderAddress: 'sales@example.test',
      userName: 'sales@example.test', authMethod: 'password', port: 587, security: 'starttls', allowInsecureAuth: false,
    } as const;
    try {
      const saved = await runtime.handlers.saveSendDirect({ settings, password: { kind: 'set', value: 'cli-status-secret' } });
      expect(saved.ok).toBe(true);
      const { code, stdout } = await runCli(['status', '--json'], { env: { ...process.env, MAIL_SETTINGS_DATA_DIR: dataDir } });
      expect(code).toBe(0);
      expect(JSON.parse(stdout).sendDirect).toEqual({ configured: true, serverName: 'smtp.example.test', authMethod: 'password', passwordStored: true });
      expect(stdout).not.toContain('cli-status-secret');
      const text = await runCli(['status', '--data-dir', dataDir]);
      expect(text.stdout).toContain('Password: stored in the keychain');
    } finally {
      await runtime.handlers.saveSendDirect({ settings, password: { kind: 'clear' } });
      await runtime.stop();
    }
  });

  it('says clearly when there is no keychain, and still prints valid JSON', async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dataDir, 'no-such-bus')}` };
    const { code, stdout } = await runCli(['status', '--json', '--data-dir', dataDir], { env });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).keychain).toMatchObject({ available: false, error: { code: expect.stringMatching(/^KEYCHAIN_/), fix: expect.any(String) } });
  });

  it('explains unknown commands and bad options with exit code 2 or 1', async () => {
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['status', '--no-such-option'])).code).toBe(2);
    const unknown = await runCli(['frobnicate', '--json', '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
