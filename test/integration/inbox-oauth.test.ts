import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImapAccess, type ImapConnection, type ImapTokenAuth } from '../../src/main/accounts/imap-access';
import type { Runtime } from '../../src/main/node-runtime';
import type { InboxId } from '../../src/shared/mailboxes';
import type { Mailbox, ProviderKind } from '../../src/shared/accounts';
import { localProviders, scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { addUser, idpControl, imapClient, introspectViaBridge, testbed, type DovecotInfo, type TestUser } from '../testbed/client';

/**
 * Modern Authentication for the Lead Inbox and the Service Desk Inbox: each inbox signs in on its own with
 * IMAP scopes (the real MSAL and google-auth-library against the local identity provider), and
 * imapAccessFor's `{ user, accessToken }` signs in to the test bed's real Dovecot, which checks the token
 * at the identity provider (RFC 7662 through the introspection bridge).
 */

const imapScope = { office365: 'https://outlook.office.com/IMAP.AccessAsUser.All', google: 'https://mail.google.com/' } as const;
const smtpScope = 'https://outlook.office.com/SMTP.Send';

/** An IMAP login with the access token, as retrieval makes it: true when the server accepted it (then LOGOUT). */
async function imapAccepts(auth: ImapTokenAuth, server: DovecotInfo): Promise<boolean> {
  const client = imapClient(auth, { server });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    return false;
  }
  const accepted = client.authenticated !== false;
  await client.logout();
  return accepted;
}

describe('Modern Authentication for the inboxes', () => {
  let dataDir: string;
  let user: TestUser;
  let runtime: Runtime;
  let browserOpened: string[];
  let popup: ReturnType<typeof scriptedSignInWindow>;

  const signIn = (mailbox: Mailbox, kind: ProviderKind, loginHint?: string) =>
    runtime.services.accounts.signIn(mailbox, { kind, clientId: undefined, clientSecret: undefined, tenant: undefined, issuer: undefined, loginHint }, 'popup');
  const imapAccess = () => createImapAccess({ accounts: runtime.services.accounts, providerDefaults: localProviders() });
  /** The inbox's IMAP connection to a test bed Dovecot over SSL/TLS (993's role), as the user. */
  const connectionTo = (server: DovecotInfo): ImapConnection => ({
    serverName: testbed().host,
    port: server.ports.imaps,
    security: 'tls',
    allowInsecureAuth: false,
    userName: user.email,
  });
  const accessFor = (inbox: InboxId, connection: ImapConnection) => imapAccess().imapAccessFor(inbox, connection);

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-inbox-oauth-'));
    user = await addUser(`inbox-oauth-${randomUUID().slice(0, 8)}@example.test`);
    browserOpened = [];
    popup = scriptedSignInWindow(() => ({ user }));
    runtime = await startLocalRuntime(dataDir, {
      popupOpener: popup,
      // The "system browser": the same scripted user, on the pages the app opened there.
      externalOpener: { open: async (url: URL) => void (browserOpened.push(url.href), await scriptedSignInWindow(() => ({ user })).open(url.href, '')) },
      signInTimeoutMs: 20_000,
    });
  });
  afterEach(async () => {
    for (const mailbox of ['send', 'lead', 'serviceDesk'] as const) await runtime.services.accounts.reset(mailbox);
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('Office 365: the Lead Inbox signs in with the IMAP scope, and its token signs in to an XOAUTH2-only server; Send Direct’s SMTP token is another one', async () => {
    expect(await signIn('send', 'office365')).toMatchObject({ ok: true, value: { mailbox: 'send', status: 'signed-in' } });
    expect(await signIn('lead', 'office365')).toMatchObject({ ok: true, value: { mailbox: 'lead', status: 'signed-in', provider: 'office365', username: user.email } });
    const leadScopes = new URL(popup.shown[1] ?? '').searchParams.get('scope')?.split(' ');
    expect(leadScopes).toContain(imapScope.office365);
    expect(leadScopes).not.toContain(smtpScope);

    const server = testbed().dovecotXoauth2Only;
    expect(server.mechanisms.map((m) => m.toLowerCase())).not.toContain('oauthbearer');
    const auth = await accessFor('lead', connectionTo(server));
    if (!auth.ok) throw new Error(auth.error.message);
    expect(auth.value.user).toBe(user.email);
    expect(await imapAccepts(auth.value, server)).toBe(true);

    // One token never serves two mailboxes: Send Direct's is for SMTP only, the Lead Inbox's for IMAP only.
    const send = await runtime.services.accounts.accessToken('send');
    if (!send.ok) throw new Error(send.error.message);
    expect(auth.value.accessToken).not.toBe(send.value.accessToken);
    const [leadToken, sendToken] = await Promise.all([introspectViaBridge(auth.value.accessToken), introspectViaBridge(send.value.accessToken)]);
    expect(leadToken.scope?.split(' ')).toContain(imapScope.office365);
    expect(leadToken.scope?.split(' ')).not.toContain(smtpScope);
    expect(sendToken.scope?.split(' ')).toContain(smtpScope);
    expect(sendToken.scope?.split(' ')).not.toContain(imapScope.office365);
  });

  it('Google: the Service Desk Inbox signs in in the system browser even when the popup is asked for, and its token reads the mailbox', async () => {
    expect(await signIn('serviceDesk', 'google')).toMatchObject({ ok: true, value: { mailbox: 'serviceDesk', status: 'signed-in', provider: 'google' } });
    expect(popup.shown).toEqual([]);
    expect(new URL(browserOpened[0] ?? '').searchParams.get('scope')?.split(' ')).toContain(imapScope.google);

    const server = testbed().dovecot;
    const auth = await accessFor('serviceDesk', connectionTo(server));
    if (!auth.ok) throw new Error(auth.error.message);
    expect(await imapAccepts(auth.value, server)).toBe(true);
    expect((await introspectViaBridge(auth.value.accessToken)).scope?.split(' ')).toContain(imapScope.google);
  });

  it('refuses before any token is handed out: a server the provider does not run, clear text without the allowance, an inbox nobody signed in', async () => {
    await signIn('lead', 'office365');
    const grantsBefore = (await idpControl.grantLog({ user: user.email })).length;
    const server = testbed().dovecotXoauth2Only;

    const elsewhere = await accessFor('lead', { ...connectionTo(server), serverName: 'imap.example.com' });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'TOKEN_HOST_NOT_ALLOWED', fieldErrors: { serverName: expect.any(String) } } });

    const clearText = await accessFor('lead', { ...connectionTo(server), port: server.ports.imap, security: 'none' });
    expect(clearText).toMatchObject({ ok: false, error: { code: 'INSECURE_AUTH_REFUSED', fix: expect.stringMatching(/offers STARTTLS/) } });

    expect(await accessFor('serviceDesk', connectionTo(server))).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect((await idpControl.grantLog({ user: user.email })).length).toBe(grantsBefore);
  });

  it('Reset signs out one inbox only; a revoked grant makes it needs-reauth, and Re-authenticate Now brings it back', async () => {
    await signIn('send', 'office365');
    await signIn('lead', 'office365');
    const secrets = runtime.services.deps.secrets;
    expect(await runtime.services.accounts.reset('lead')).toMatchObject({ ok: true, value: { mailbox: 'lead', status: 'signed-out', username: null } });
    expect(await secrets.get('oauth/lead/msal-cache')).toBeNull();
    expect(await runtime.services.accounts.state('send')).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    expect(await secrets.get('oauth/send/msal-cache')).not.toBeNull();

    await signIn('lead', 'office365');
    await idpControl.revokeUser(user.email);
    expect(await runtime.services.accounts.check('lead')).toMatchObject({ ok: true, value: { status: 'needs-reauth', reason: { code: 'GRANT_EXPIRED' } } });
    const server = testbed().dovecotXoauth2Only;
    expect(await accessFor('lead', connectionTo(server))).toMatchObject({ ok: false, error: { code: 'GRANT_EXPIRED' } });

    // Re-authenticate Now: a sign-in for the known user.
    expect(await signIn('lead', 'office365', user.email)).toMatchObject({ ok: true, value: { status: 'signed-in', reason: null } });
    const auth = await accessFor('lead', connectionTo(server));
    if (!auth.ok) throw new Error(auth.error.message);
    expect(await imapAccepts(auth.value, server)).toBe(true);
  });

  it('a mailbox nobody signed in is signed-out, and a check leaves it alone', async () => {
    await signIn('lead', 'office365');
    const grantsBefore = (await idpControl.grantLog({ user: user.email, grantType: 'refresh_token' })).length;
    for (const mailbox of ['send', 'serviceDesk'] as const) {
      expect(await runtime.services.accounts.check(mailbox)).toEqual({ ok: true, value: { mailbox, status: 'signed-out', provider: null, username: null, lastRefreshedAt: null, reason: null } });
    }
    expect(await runtime.services.accounts.check('lead')).toMatchObject({ ok: true, value: { status: 'signed-in' } });
    expect((await idpControl.grantLog({ user: user.email, grantType: 'refresh_token' })).length).toBe(grantsBefore + 1);
  });
});
