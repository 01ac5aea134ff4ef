import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../src/main/node-runtime';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';
import { createDispatch } from '../../src/main/ipc/dispatch';
import { channels } from '../../src/shared/contract';
import { fail } from '../../src/shared/errors';

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
    const dispatch = createDispatch(failing, runtime.services.logger, runtime.services.deps.secretRegistry);
    expect(await dispatch('getSendDirect', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('Nothing was changed') } });
    await runtime.services.logger.flush();
    const log = await readFile(join(dataDir, 'logs', 'mail-settings.log'), 'utf8');
    expect(log).toContain('socket closed');
    expect(log).not.toContain('hunter2');
  });

  it('blanks every secret the process knows from a failed Result before it crosses IPC', async () => {
    const password = 'pw-"quoted"-back-4711';
    const settings = {
      serverName: 'smtp.example.com', senderName: 'Sales', senderAddress: 'sales@example.com',
      userName: 'sales@example.com', authMethod: 'password', port: '465', security: 'tls',
    };
    // Saved through the keychain, so the process knows it as a secret from now on.
    expect(await runtime.dispatch('saveSendDirect', { settings, password: { kind: 'set', value: password } })).toMatchObject({ ok: true });
    const quoting = {
      ...runtime.handlers,
      // A server (or a library) that quotes the credential back, plain and in an AUTH LOGIN line (base64).
      getSendDirect: async () =>
        fail({
          code: 'SMTP_AUTH_FAILED' as const,
          message: `The mail server said: 535 5.7.8 bad credentials ${password}`,
          fix: `It answered to ${Buffer.from(password).toString('base64')}.`,
          fieldErrors: { password: `“${password}” was refused.` },
        }),
    };
    const dispatch = createDispatch(quoting, runtime.services.logger, runtime.services.deps.secretRegistry);
    const result = await dispatch('getSendDirect', {});
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'SMTP_AUTH_FAILED',
        message: 'The mail server said: 535 5.7.8 bad credentials [redacted]',
        fix: 'It answered to [redacted].',
        fieldErrors: { password: '“[redacted]” was refused.' },
      },
    });
  });

  it('blanks known secrets from an error inside a successful Result too (an account’s reason)', async () => {
    runtime.services.deps.secretRegistry.remember('refresh-token-0815');
    const reason = { code: 'GRANT_EXPIRED' as const, message: 'The provider said: invalid_grant for refresh-token-0815' };
    const state = { mailbox: 'send' as const, status: 'needs-reauth' as const, provider: 'office365' as const, username: 'a@b.c', lastRefreshedAt: null, reason };
    const table = { ...runtime.handlers, getAccountState: async () => ({ ok: true as const, value: state }) };
    const dispatch = createDispatch(table, runtime.services.logger, runtime.services.deps.secretRegistry);
    expect(await dispatch('getAccountState', { mailbox: 'send' })).toEqual({
      ok: true,
      value: { ...state, reason: { code: 'GRANT_EXPIRED', message: 'The provider said: invalid_grant for [redacted]' } },
    });
  });

  it('blanks known secrets from the errors in events too, which reach the windows without dispatch', async () => {
    runtime.services.deps.secretRegistry.remember('refresh-token-4711');
    const seen: unknown[] = [];
    runtime.services.events.subscribe((_event, payload) => seen.push(payload));
    const reason = { code: 'GRANT_EXPIRED' as const, message: 'The provider said: invalid_grant for refresh-token-4711' };
    runtime.services.events.emit('accountStateChanged', { mailbox: 'send', status: 'needs-reauth', provider: 'office365', username: 'a@b.c', lastRefreshedAt: null, reason });
    expect(seen).toEqual([expect.objectContaining({ reason: { code: 'GRANT_EXPIRED', message: 'The provider said: invalid_grant for [redacted]' } })]);
  });

  it('leaves the app’s own sentences alone when it redacts', async () => {
    const prose = 'Choose Normal Password (basic authentication), then enter it as the password: sign in to Office 365 first.';
    const failing = { ...runtime.handlers, getSendDirect: async () => fail({ code: 'SMTP_AUTH_FAILED' as const, message: prose, fix: prose }) };
    const dispatch = createDispatch(failing, runtime.services.logger, runtime.services.deps.secretRegistry);
    expect(await dispatch('getSendDirect', {})).toEqual({ ok: false, error: { code: 'SMTP_AUTH_FAILED', message: prose, fix: prose } });
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
