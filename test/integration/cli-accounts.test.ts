import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, completeSignInWithFetch, idpControl, testbed, type TestUser } from '../testbed/client';

const bin = join(import.meta.dirname, '../../bin/mail-settings.js');

/** Runs the built CLI; `onLine` sees each stdout line as it arrives (the sign-in link comes first). */
function cli(args: string[], onLine: (line: string) => void = () => undefined): Promise<{ code: number; lines: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      onLine(line);
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, lines, stderr }));
  });
}

describe('mail-settings sign-in / accounts / reset (the built CLI, local IdP)', () => {
  let dataDir: string;
  let user: TestUser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-oauth-'));
    user = await addUser(`cli-${randomUUID().slice(0, 8)}@example.test`);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const office365 = () => {
    const { idp } = testbed();
    return ['--provider', 'office365', '--issuer', idp.endpoints.issuer, '--client-id', idp.clients.office365.clientId];
  };

  it('signs in with --no-browser --json: the link first, the result last, exit 0', async () => {
    const result = await cli(['sign-in', 'send', ...office365(), '--login-hint', user.email, '--no-browser', '--json', '--data-dir', dataDir], (line) => {
      const parsed = JSON.parse(line) as { signInUrl?: string };
      if (parsed.signInUrl) void completeSignInWithFetch(parsed.signInUrl, { user, deliver: true });
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.lines[0] ?? '{}').signInUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/.*code_challenge_method=S256/);
    expect(JSON.parse(result.lines.at(-1) ?? '{}')).toEqual({ ok: true, username: user.email });
  });

  it('lists the account, checks it with a silent refresh, and notices a revoked grant', async () => {
    const listed = await cli(['accounts', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(listed.lines.join('\n')).accounts).toEqual([
      expect.objectContaining({ mailbox: 'send', status: 'signed-in', provider: 'office365', username: user.email, lastRefreshedAt: expect.any(String) }),
    ]);
    const checked = await cli(['accounts', '--json', '--check', '--data-dir', dataDir]);
    expect(JSON.parse(checked.lines.join('\n')).accounts[0]).toMatchObject({ status: 'signed-in' });
    expect((await idpControl.grantLog({ user: user.email, grantType: 'refresh_token' })).some((g) => g.status === 200)).toBe(true);

    await idpControl.revokeUser(user.email);
    const afterRevoke = await cli(['accounts', '--json', '--check', '--data-dir', dataDir]);
    expect(JSON.parse(afterRevoke.lines.join('\n')).accounts[0]).toMatchObject({ status: 'needs-reauth', reason: { code: 'GRANT_EXPIRED' } });
    const text = await cli(['accounts', '--data-dir', dataDir]);
    expect(text.lines.join('\n')).toContain('needs re-authentication');
  });

  it('reset signs out', async () => {
    expect((await cli(['reset', 'send', '--json', '--data-dir', dataDir])).code).toBe(0);
    const listed = await cli(['accounts', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(listed.lines.join('\n')).accounts[0]).toMatchObject({ status: 'signed-out', username: null });
  });

  it('a denied consent ends with exit 1 and a fix-it error as the last line', async () => {
    const result = await cli(['sign-in', 'send', ...office365(), '--no-browser', '--json', '--data-dir', dataDir], (line) => {
      const parsed = JSON.parse(line) as { signInUrl?: string };
      if (parsed.signInUrl) void completeSignInWithFetch(parsed.signInUrl, { user, consent: 'deny', deliver: true });
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.lines.at(-1) ?? '{}')).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED', message: expect.any(String), fix: expect.any(String) } });
  });

  it('refuses a missing provider and an unknown mailbox in plain words', async () => {
    const missing = await cli(['sign-in', 'send', '--json', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.lines[0] ?? '{}').error.message).toMatch(/--provider office365, google or oidc/);
    const mailbox = await cli(['sign-in', 'nowhere', '--provider', 'google', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(mailbox.lines[0] ?? '{}').error.message).toMatch(/Name the mailbox/);
  });
});
