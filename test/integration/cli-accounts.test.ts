import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { runCli, type CliResult } from '../support/run-cli';
import { addUser, completeSignInWithFetch, idpControl, testbed, type TestUser } from '../testbed/client';

describe('mail-settings sign-in / accounts / reset (the built CLI, local IdP)', () => {
  // Each test has its own data dir and user: a revoked or reset sign-in never reaches another test.
  let dataDir: string;
  let user: TestUser;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-oauth-'));
    user = await addUser(`cli-${randomUUID().slice(0, 8)}@example.test`);
  });
  afterEach(async () => {
    await clearKeychainOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  const office365 = () => {
    const { idp } = testbed();
    return ['--provider', 'office365', '--issuer', idp.endpoints.issuer, '--client-id', idp.clients.office365.clientId];
  };
  /** `sign-in send` without a browser: the user finishes the pages behind the link the CLI prints first. */
  const signIn = (consent: 'allow' | 'deny' = 'allow', mailbox = 'send'): Promise<CliResult> =>
    runCli(['sign-in', mailbox, ...office365(), '--login-hint', user.email, '--no-browser', '--json', '--data-dir', dataDir], {
      onLine: (line) => {
        const parsed = JSON.parse(line) as { signInUrl?: string };
        if (parsed.signInUrl) void completeSignInWithFetch(parsed.signInUrl, { user, consent, deliver: true });
      },
    });
  /** The sign-in the account commands work on. */
  const signedIn = async (): Promise<void> => {
    expect((await signIn()).code).toBe(0);
  };

  it('signs in with --no-browser --json: the link first, the result last, exit 0', async () => {
    const result = await signIn();
    expect(result.code).toBe(0);
    expect(JSON.parse(result.lines[0] ?? '{}').signInUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/.*code_challenge_method=S256/);
    expect(JSON.parse(result.lines.at(-1) ?? '{}')).toEqual({ ok: true, username: user.email });
  });

  it('lists the account, checks it with a silent refresh, and notices a revoked grant', async () => {
    await signedIn();
    const listed = await runCli(['accounts', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(listed.stdout).accounts).toEqual([
      expect.objectContaining({ mailbox: 'send', status: 'signed-in', provider: 'office365', username: user.email, lastRefreshedAt: expect.any(String) }),
      // The inboxes sign in on their own: nobody did, so they are signed out (and --check leaves them alone).
      expect.objectContaining({ mailbox: 'lead', status: 'signed-out', username: null }),
      expect.objectContaining({ mailbox: 'serviceDesk', status: 'signed-out', username: null }),
    ]);
    const checked = await runCli(['accounts', '--json', '--check', '--data-dir', dataDir]);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout).accounts.map((account: { status: string }) => account.status)).toEqual(['signed-in', 'signed-out', 'signed-out']);
    expect((await idpControl.grantLog({ user: user.email, grantType: 'refresh_token' })).some((g) => g.status === 200)).toBe(true);

    await idpControl.revokeUser(user.email);
    const afterRevoke = await runCli(['accounts', '--json', '--check', '--data-dir', dataDir]);
    expect(JSON.parse(afterRevoke.stdout).accounts[0]).toMatchObject({ status: 'needs-reauth', reason: { code: 'GRANT_EXPIRED' } });
    const text = await runCli(['accounts', '--data-dir', dataDir]);
    expect(text.stdout).toContain('needs re-authentication');
  });

  it('reset signs out', async () => {
    await signedIn();
    expect((await runCli(['reset', 'send', '--json', '--data-dir', dataDir])).code).toBe(0);
    const listed = await runCli(['accounts', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(listed.stdout).accounts[0]).toMatchObject({ status: 'signed-out', username: null });
  });

  it('names the Service Desk Inbox as the other commands do: sign-in service-desk, reset service-desk', async () => {
    expect((await signIn('allow', 'service-desk')).code).toBe(0);
    const listed = await runCli(['accounts', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(listed.stdout).accounts.map((account: { mailbox: string; status: string }) => [account.mailbox, account.status])).toEqual([
      ['send', 'signed-out'],
      ['lead', 'signed-out'],
      ['serviceDesk', 'signed-in'],
    ]);
    expect((await runCli(['reset', 'service-desk', '--json', '--data-dir', dataDir])).code).toBe(0);
    const afterReset = await runCli(['accounts', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(afterReset.stdout).accounts[2]).toMatchObject({ mailbox: 'serviceDesk', status: 'signed-out' });
  });

  it('signs an Email Integration mailbox on Modern Authentication in as integration:ID, lists it, and resets it', async () => {
    const added = await runCli(
      ['integration', 'add', '--mailbox', user.email, '--host', testbed().host, '--port', String(testbed().dovecotXoauth2Only.ports.imaps), '--name', 'OAuth leads', '--description', 'Signs in with Office 365', '--auth', 'oauth-office365', '--json', '--data-dir', dataDir],
    );
    expect(added.code).toBe(0);
    const { id } = (JSON.parse(added.lines.at(-1) ?? '{}') as { integration: { id: string } }).integration;
    expect((await signIn('allow', `integration:${id}`)).code).toBe(0);
    const listed = await runCli(['accounts', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(listed.stdout).accounts).toContainEqual(expect.objectContaining({ mailbox: `integration:${id}`, status: 'signed-in', username: user.email }));
    // The token goes only to Office 365's mail servers: the test bed's Dovecot is one only where IT says so.
    const refused = await runCli(['integration', 'test', id, '--json', '--data-dir', dataDir]);
    expect(JSON.parse(refused.lines.at(-1) ?? '{}')).toMatchObject({ ok: false, error: { code: 'TOKEN_HOST_NOT_ALLOWED', fieldErrors: { host: expect.stringContaining('outlook.office365.com') } } });
    const withTestbedHost = { env: { ...process.env, MAIL_SETTINGS_OFFICE365_MAIL_HOSTS: testbed().host } };
    const tested = await runCli(['integration', 'test', id, '--json', '--data-dir', dataDir], withTestbedHost);
    expect(JSON.parse(tested.lines.at(-1) ?? '{}')).toEqual({ ok: true, message: 'We were able to connect to your mailbox.' });
    expect((await runCli(['reset', `integration:${id}`, '--json', '--data-dir', dataDir])).code).toBe(0);
    const afterReset = await runCli(['integration', 'test', id, '--json', '--data-dir', dataDir], withTestbedHost);
    expect(JSON.parse(afterReset.lines.at(-1) ?? '{}')).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    // An id that names no mailbox: said plainly, nothing opened.
    const unknown = await runCli(['sign-in', 'integration:nothing-here', ...office365(), '--no-browser', '--json', '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.lines.at(-1) ?? '{}')).toMatchObject({ ok: false, error: { code: 'INTEGRATION_NOT_FOUND' } });
  });

  it('a denied consent ends with exit 1 and a fix-it error as the last line', async () => {
    const result = await signIn('deny');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.lines.at(-1) ?? '{}')).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED', message: expect.any(String), fix: expect.any(String) } });
  });

  it('refuses a missing provider and an unknown mailbox in plain words', async () => {
    const missing = await runCli(['sign-in', 'send', '--json', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.lines[0] ?? '{}').error.message).toMatch(/--provider office365, google or oidc/);
    const mailbox = await runCli(['sign-in', 'nowhere', '--provider', 'google', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(mailbox.lines[0] ?? '{}').error.message).toBe('Name the mailbox to sign in: send, lead, service-desk, or integration:ID (an Email Integration mailbox on Modern Authentication).');
  });
});
