import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { servedMessages } from '../support/retrieval-fixtures';
import { runCli, type CliResult } from '../support/run-cli';
import { addUser, completeSignInWithFetch, idpControl, imapClient, signInWithFetch, testbed, writeToMaildir, type TestUser } from '../testbed/client';
import { grantFullAccess } from '../testbed/full-access';

/**
 * Office 365 shared mailboxes (sales@, support@ have no password of their own): a member with Full Access
 * signs in, and the inbox logs in to IMAP with XOAUTH2 naming the shared address with the member's token.
 * Against the test bed's shared-mailbox Dovecot (XOAUTH2 only, as Office 365), which checks the token at
 * the local identity provider and the member's Full Access, through the built CLI as an admin scripts it.
 */

function lastJson(result: CliResult): Record<string, unknown> {
  return JSON.parse(result.lines.filter((line) => line.trim() !== '').at(-1) ?? 'null') as Record<string, unknown>;
}

/** An IMAP login to the shared-mailbox server: true when it accepted the token for `user`. */
async function imapAccepts(user: string, accessToken: string): Promise<boolean> {
  const client = imapClient({ user, accessToken }, { server: testbed().dovecotSharedMailbox });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    return false;
  }
  await client.logout();
  return true;
}

describe('the test bed’s shared-mailbox server', () => {
  it('accepts a token for its owner’s address, and for a shared address only once the owner has Full Access', async () => {
    const tag = randomUUID().slice(0, 8);
    const [shared, member] = await Promise.all([addUser(`sales-${tag}@example.test`), addUser(`member-${tag}@example.test`)]);
    const signedIn = await signInWithFetch({ user: member });
    if (!signedIn.ok) throw new Error(signedIn.error);
    const token = signedIn.tokens.access_token;
    expect(testbed().dovecotSharedMailbox.mechanisms).not.toContain('oauthbearer');
    expect(await imapAccepts(member.email, token)).toBe(true);
    expect(await imapAccepts(shared.email, token)).toBe(false);
    await grantFullAccess(shared.email, member.email);
    expect(await imapAccepts(shared.email, token)).toBe(true);
    expect(await imapAccepts(shared.email, `${token}x`)).toBe(false);
  });
});

describe('mail-settings configure --shared-mailbox (the built CLI, local IdP, XOAUTH2)', () => {
  let dataDir: string;
  let shared: TestUser;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-shared-mailbox-'));
    shared = await addUser(`sales-${randomUUID().slice(0, 8)}@example.test`);
  });
  afterEach(async () => {
    await clearKeychainOf(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Office 365 pointed at the local identity provider, and its tokens allowed to the test bed's servers, by configuration only. */
  const env = (): NodeJS.ProcessEnv => {
    const { idp, host } = testbed();
    return {
      ...process.env,
      MAIL_SETTINGS_OFFICE365_CLIENT_ID: idp.clients.office365.clientId,
      MAIL_SETTINGS_OFFICE365_AUTHORITY: idp.endpoints.issuer,
      MAIL_SETTINGS_OFFICE365_MAIL_HOSTS: host,
    };
  };
  const cli = (args: readonly string[]) => runCli([...args, '--json', '--data-dir', dataDir], { env: env() });
  const configureShared = (member: TestUser) =>
    cli(['configure', 'lead', '--host', testbed().host, '--port', String(testbed().dovecotSharedMailbox.ports.imaps), '--security', 'tls',
      '--auth', 'oauth-office365', '--user', member.email, '--shared-mailbox', shared.email]);
  /** `sign-in lead` without a browser: the member finishes the identity provider's pages behind the link. */
  const signInAs = (member: TestUser) =>
    runCli(['sign-in', 'lead', '--provider', 'office365', '--login-hint', member.email, '--no-browser', '--json', '--data-dir', dataDir], {
      env: env(),
      onLine: (line) => {
        const parsed = JSON.parse(line) as { signInUrl?: string };
        if (parsed.signInUrl) void completeSignInWithFetch(parsed.signInUrl, { user: member, deliver: true });
      },
    });

  it('a member with Full Access signs in, and Test Connection and retrieve read the shared mailbox', async () => {
    const member = await addUser(`member-${randomUUID().slice(0, 8)}@example.test`);
    await grantFullAccess(shared.email, member.email);
    const messages = webFormMessages(3, randomUUID());
    await writeToMaildir(shared.email, messages.map((m) => m.raw));

    const configured = await configureShared(member);
    expect(configured.code).toBe(0);
    expect(lastJson(configured)).toMatchObject({ ok: true, inbox: { settings: { userName: member.email, sharedMailbox: shared.email, authMethod: 'oauth-office365' }, passwordStored: false } });
    const signedIn = await signInAs(member);
    expect(lastJson(signedIn)).toEqual({ ok: true, username: member.email });

    const tested = await cli(['test-connection', 'lead']);
    expect(lastJson(tested)).toEqual({ ok: true, message: 'We were able to connect to your mailbox.' });
    expect(tested.code).toBe(0);

    const retrieved = await cli(['retrieve', 'lead']);
    expect(lastJson(retrieved)).toMatchObject({ ok: true, retrieved: 3 });
    expect(await servedMessages(shared, testbed().dovecotSharedMailbox)).toEqual([]);
    const listed = await cli(['records', 'list', '--inbox', 'lead']);
    const records = JSON.parse(listed.stdout) as Array<{ messageId: string | null }>;
    expect(records.map((record) => record.messageId).sort()).toEqual(messages.map((m) => m.messageId).sort());
  });

  it('a token of someone without Full Access is refused with who lacks access to what, and the mail stays; granting access fixes it', async () => {
    const outsider = await addUser(`outsider-${randomUUID().slice(0, 8)}@example.test`);
    await writeToMaildir(shared.email, webFormMessages(1, randomUUID()).map((m) => m.raw));
    expect((await configureShared(outsider)).code).toBe(0);
    expect((await signInAs(outsider)).code).toBe(0);

    const noAccess = `${outsider.email} has no access to ${shared.email}: ask your Office 365 admin to grant Full Access.`;
    const tested = await cli(['test-connection', 'lead']);
    expect(tested.code).toBe(1);
    expect(lastJson(tested)).toMatchObject({ ok: false, error: { code: 'IMAP_AUTH_FAILED', message: noAccess, fix: expect.stringContaining('Shared mailboxes') } });
    const retrieved = await cli(['retrieve', 'lead']);
    expect(retrieved.code).toBe(1);
    expect(lastJson(retrieved)).toMatchObject({ ok: false, error: { message: noAccess } });
    expect(await servedMessages(shared, testbed().dovecotSharedMailbox)).toHaveLength(1);

    await grantFullAccess(shared.email, outsider.email);
    expect(lastJson(await cli(['test-connection', 'lead']))).toMatchObject({ ok: true });
  });

  it('a member whose sign-in was revoked is asked to sign in again, not told they lack access', async () => {
    const member = await addUser(`member-${randomUUID().slice(0, 8)}@example.test`);
    await grantFullAccess(shared.email, member.email);
    expect((await configureShared(member)).code).toBe(0);
    expect((await signInAs(member)).code).toBe(0);
    await idpControl.revokeUser(member.email);

    const tested = await cli(['test-connection', 'lead']);
    expect(tested.code).toBe(1);
    expect(lastJson(tested)).toMatchObject({ ok: false, error: { code: 'GRANT_EXPIRED' } });
  });

  it('refuses a shared mailbox without Office 365, or one that is not an email address', async () => {
    const member = await addUser(`member-${randomUUID().slice(0, 8)}@example.test`);
    const base = ['configure', 'lead', '--host', testbed().host, '--user', member.email];
    const withPassword = await cli([...base, '--shared-mailbox', shared.email]);
    expect(withPassword.code).toBe(1);
    expect(lastJson(withPassword)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^Shared mailbox address: .*Office 365/) } });
    const notAnAddress = await cli([...base, '--auth', 'oauth-office365', '--shared-mailbox', 'sales']);
    expect(lastJson(notAnAddress)).toMatchObject({ ok: false, error: { message: 'Shared mailbox address: This is not an email address. It should look like sales@yourcompany.com.' } });
  });
});
