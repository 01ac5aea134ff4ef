import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import {
  addUser,
  idpControl,
  imapClient,
  readMailbox,
  revokeToken,
  signInWithFetch,
  testbed,
  waitForMessage,
  waitForSavedMessage,
  type MailAuth,
} from '../testbed/client';

async function imapLogin(auth: MailAuth, options: Parameters<typeof imapClient>[1] = {}): Promise<{ ok: true } | { ok: false; error: Error & { authenticationFailed?: boolean; serverResponseCode?: string } }> {
  const client = imapClient(auth, options);
  // imapflow emits 'error' on the client as well as rejecting connect(); without a listener it would crash the worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.logout();
    return { ok: true };
  } catch (error) {
    client.close();
    return { ok: false, error: error as Error };
  }
}

async function signIn(email: string, client: 'office365' | 'google' = 'office365') {
  const info = testbed();
  const user = await addUser(email);
  const scopes =
    client === 'office365'
      ? ['openid', 'profile', 'email', 'offline_access', info.idp.mailScopes.office365Imap, info.idp.mailScopes.office365Smtp]
      : ['openid', 'email', 'offline_access', info.idp.mailScopes.google];
  const result = await signInWithFetch({ user, client: info.idp.clients[client], scopes });
  if (!result.ok) throw new Error(`sign-in failed: ${result.error}`);
  return { user, tokens: result.tokens };
}

describe('test bed: Dovecot + smtp-server with real tokens', () => {
  it('a password user logs in over IMAPS and over STARTTLS; a wrong password fails', async () => {
    const user = await addUser(`pw-${randomUUID()}@example.test`);
    expect(await imapLogin({ user: user.email, pass: user.password })).toEqual({ ok: true });
    expect(await imapLogin({ user: user.email, pass: user.password }, { tls: 'starttls' })).toEqual({ ok: true });
    const bad = await imapLogin({ user: user.email, pass: 'wrong' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.authenticationFailed).toBe(true);
  });

  it('an IdP token logs in with OAUTHBEARER and with XOAUTH2 (Office 365-like Dovecot), not after revocation', async () => {
    const info = testbed();
    const { user, tokens } = await signIn(`oauth-${randomUUID()}@example.test`);
    expect(await imapLogin({ user: user.email, accessToken: tokens.access_token })).toEqual({ ok: true });
    expect(await imapLogin({ user: user.email, accessToken: tokens.access_token }, { server: info.dovecotXoauth2Only })).toEqual({ ok: true });
    // Another user's name with this token: Dovecot compares it with the introspected username.
    expect((await imapLogin({ user: 'alice@example.test', accessToken: tokens.access_token })).ok).toBe(false);

    await revokeToken(info.idp.clients.office365, tokens.access_token, 'access_token');
    const after = await imapLogin({ user: user.email, accessToken: tokens.access_token }, { server: info.dovecotXoauth2Only });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.error.authenticationFailed).toBe(true);
    expect((await imapLogin({ user: user.email, accessToken: tokens.access_token })).ok).toBe(false);
  });

  it('revoking all grants of a user at the IdP locks out their token', async () => {
    const { user, tokens } = await signIn(`revoke-${randomUUID()}@example.test`, 'google');
    expect(await imapLogin({ user: user.email, accessToken: tokens.access_token })).toEqual({ ok: true });
    await idpControl.revokeUser(user.email);
    expect((await imapLogin({ user: user.email, accessToken: tokens.access_token })).ok).toBe(false);
  });

  it('a message submitted through Dovecot submission with XOAUTH2 is readable from the recipient mailbox', async () => {
    const info = testbed();
    const { user: sender, tokens } = await signIn(`sender-${randomUUID()}@example.test`);
    const recipient = await addUser(`rcpt-${randomUUID()}@example.test`);
    const subject = `via submission ${randomUUID()}`;
    const transport = nodemailer.createTransport({
      host: info.host,
      port: info.dovecot.ports.submission,
      secure: false,
      requireTLS: true,
      auth: { type: 'OAuth2', user: sender.email, accessToken: tokens.access_token },
    });
    try {
      await transport.sendMail({ from: sender.email, to: recipient.email, subject, text: 'Hello over submission' });
    } finally {
      transport.close();
    }
    const message = await waitForMessage(recipient, (m) => m.parsed.subject === subject);
    expect(message.parsed.text?.trim()).toBe('Hello over submission');
    expect(await waitForSavedMessage((m) => m.raw.includes(subject), { emlDir: info.relaySink.emlDir })).toBeTruthy();
  });

  it('a message sent through smtp-server with XOAUTH2 is saved as .eml and delivered; a revoked token gets 535', async () => {
    const info = testbed();
    const { user: sender, tokens } = await signIn(`smtp-${randomUUID()}@example.test`);
    const recipient = await addUser(`rcpt-${randomUUID()}@example.test`);
    const subject = `via smtp-server ${randomUUID()}`;
    const send = async (accessToken: string) => {
      const transport = nodemailer.createTransport({
        host: info.host,
        port: info.smtp.ports.starttls,
        secure: false,
        requireTLS: true,
        auth: { type: 'OAuth2', user: sender.email, accessToken },
      });
      try {
        return await transport.sendMail({ from: sender.email, to: recipient.email, subject, text: 'Hello over smtp-server' });
      } finally {
        transport.close();
      }
    };
    await send(tokens.access_token);
    const saved = await waitForSavedMessage((m) => m.raw.includes(subject));
    expect(saved.envelope).toMatchObject({ user: sender.email, authMethod: 'XOAUTH2', secure: true, rcptTo: [recipient.email], deliveredTo: [recipient.email] });
    expect((await waitForMessage(recipient, (m) => m.parsed.subject === subject)).parsed.from?.text).toContain(sender.email);

    await revokeToken(info.idp.clients.office365, tokens.access_token, 'access_token');
    await expect(send(tokens.access_token)).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
  });

  it('smtp-server accepts PLAIN over implicit TLS and LOGIN on the plain port', async () => {
    const info = testbed();
    const sender = await addUser(`pwsmtp-${randomUUID()}@example.test`);
    for (const [port, secure] of [
      [info.smtp.ports.tls, true],
      [info.smtp.ports.plain, false],
    ] as const) {
      const subject = `password ${port} ${randomUUID()}`;
      const transport = nodemailer.createTransport({ host: info.host, port, secure, ignoreTLS: !secure, auth: { user: sender.email, pass: sender.password } });
      try {
        await transport.sendMail({ from: sender.email, to: sender.email, subject, text: 'x' });
      } finally {
        transport.close();
      }
      expect((await waitForSavedMessage((m) => m.raw.includes(subject))).envelope).toMatchObject({ user: sender.email, secure });
    }
    expect((await readMailbox(sender)).length).toBe(2);
  });
});
