import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../src/main/node-runtime';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';
import { channels } from '../../src/shared/contract';

const malformedPayloads: unknown[] = [undefined, null, 42, 'text', [], { unexpected: true }, { settings: 'x'.repeat(100_000) }];

describe('dispatch: the single entry from IPC into the services', () => {
  let dataDir: string;
  let runtime: Runtime;
  const opened: string[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-dispatch-'));
    opened.length = 0;
    runtime = await startRuntime({
      dataDir,
      openSettings: openConfSettings,
      externalOpener: { open: async (url) => void opened.push(url.href) },
      secrets: createMemorySecretStore(),
    });
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it.each(channels)('answers malformed payloads on %s with a readable INVALID_INPUT result', async (channel) => {
    for (const payload of malformedPayloads) {
      const result = await runtime.dispatch(channel, payload);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String) } });
      if (!result.ok) expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it('refuses a channel that is not in the contract', async () => {
    expect(await runtime.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await runtime.dispatch('deleteEverything', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('turns an unexpected failure into a calm message and logs it without the secret', async () => {
    const failing = { ...runtime.handlers, getSendDirect: async () => { throw new Error('socket closed, password=hunter2'); } };
    const { createDispatch } = await import('../../src/main/ipc/dispatch');
    const dispatch = createDispatch(failing, runtime.services.logger);
    expect(await dispatch('getSendDirect', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('Nothing was changed') } });
    await runtime.services.logger.flush();
    const log = await readFile(join(dataDir, 'logs', 'mail-settings.log'), 'utf8');
    expect(log).toContain('socket closed');
    expect(log).not.toContain('hunter2');
  });

  it('opens only https links', async () => {
    expect(await runtime.dispatch('openExternalLink', { url: 'https://aka.ms/smtp_auth_disabled' })).toEqual({ ok: true, value: undefined });
    expect(await runtime.dispatch('openExternalLink', { url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(opened).toEqual(['https://aka.ms/smtp_auth_disabled']);
  });

  it('saves and reads back a valid section through the contract', async () => {
    const settings = {
      serverName: 'smtp.example.com', senderName: 'Sales', senderAddress: 'sales@example.com',
      userName: 'sales@example.com', authMethod: 'password', port: '465', security: 'tls',
    };
    const saved = await runtime.dispatch('saveSendDirect', { settings, password: { kind: 'set', value: 'pw-123456' } });
    expect(saved).toMatchObject({ ok: true, value: { passwordStored: true, settings: { port: 465 } } });
    expect(JSON.stringify(saved)).not.toContain('pw-123456');
    expect(await runtime.dispatch('getSendDirect', {})).toEqual(saved);
  });
});
