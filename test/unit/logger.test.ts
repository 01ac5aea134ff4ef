import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, describeError } from '../../src/main/log/logger';
import { SecretRegistry } from '../../src/main/log/redact';

describe('the file log: redacted before it is serialised', () => {
  let dataDir: string;
  let secrets: SecretRegistry;
  const logged = async (): Promise<{ text: string; lines: Record<string, unknown>[] }> => {
    const text = await readFile(join(dataDir, 'logs', 'mail-settings.log'), 'utf8');
    return { text, lines: text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
  };
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-log-'));
    secrets = new SecretRegistry();
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('blanks a known secret that JSON would escape (a quote, a backslash, a control character)', async () => {
    const password = 'pa"ss\\w0rd\u0001!';
    secrets.remember(password);
    const logger = createFileLogger(dataDir, secrets);
    logger.warn('SMTP failure', { detail: `535 rejected ${password}`, transcript: [`C: ${password}`] });
    await logger.flush();
    const { text, lines } = await logged();
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'SMTP failure', detail: '535 rejected [redacted]', transcript: ['C: [redacted]'] });
    expect(text).not.toContain('pa\\"ss');
    expect(text).not.toContain('w0rd');
  });

  it('blanks values under secret-named keys at any depth, and keeps nested errors readable', async () => {
    const logger = createFileLogger(dataDir, secrets);
    const cause = Object.assign(new Error('token endpoint answered 400'), { body: { error: 'invalid_grant', refresh_token: 'rt-opaque-0001' } });
    logger.error('Refresh failed', { request: { headers: { Authorization: 'opaque-0002' } }, ...describeError(new Error('refresh failed', { cause })) });
    await logger.flush();
    const { text, lines } = await logged();
    expect(text).not.toMatch(/opaque-000[12]/);
    expect(lines[0]).toMatchObject({
      request: { headers: { Authorization: '[redacted]' } },
      detail: 'refresh failed',
      cause: { message: 'token endpoint answered 400', body: { error: 'invalid_grant', refresh_token: '[redacted]' } },
    });
  });
});
