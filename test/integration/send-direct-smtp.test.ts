import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { SendDirectSettings } from '../../src/shared/send-direct';
import { closedPort, office365AuthReply, rejectFirstTokenServer, selfSignedSmtpServer } from '../support/fake-mail-servers';
import { scriptedSignInWindow, startLocalRuntime } from '../support/local-runtime';
import { addUser, idpControl, testbed, waitForMessage, type TestUser } from '../testbed/client';

const png = (seed: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 64 }, (_, i) => (i * seed) % 256)]);

describe('Send Direct against real SMTP servers', () => {
  let dataDir: string;
  let runtime: Runtime;
  let sender: TestUser;
  let recipient: TestUser;
  const settingsFor = (patch: Partial<SendDirectSettings>): SendDirectSettings => ({
    serverName: '127.0.0.1', senderName: 'Sales Team', senderAddress: sender.email, userName: sender.email,
    authMethod: 'password', port: testbed().dovecot.ports.submission, security: 'starttls', allowInsecureAuth: false, ...patch,
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-smtp-'));
    sender = await addUser(`sender-${randomUUID().slice(0, 8)}@example.test`);
    recipient = await addUser(`recipient-${randomUUID().slice(0, 8)}@example.test`);
    runtime = await startLocalRuntime(dataDir, { popupOpener: scriptedSignInWindow(() => ({ user: sender })) });
  });
  afterAll(async () => {
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('Test Connection with a password over Dovecot submission (STARTTLS) and implicit TLS', async () => {
    const saved = await runtime.handlers.saveSendDirect({ settings: settingsFor({}), password: { kind: 'set', value: sender.password } });
    expect(saved.ok).toBe(true);
    expect(await runtime.handlers.testSendDirect({ settings: settingsFor({}), password: { kind: 'keep' } })).toEqual({
      ok: true,
      value: { message: 'We were able to connect to your mail server and sign in.' },
    });
    // Another port is another destination: the password is typed for it (the stored one stays with 587).
    const tls = settingsFor({ port: testbed().dovecot.ports.submissions, security: 'tls' });
    expect(await runtime.handlers.testSendDirect({ settings: tls, password: { kind: 'set', value: sender.password } })).toMatchObject({ ok: true });
  });

  it('sends HTML with two local images as inline parts with identical bytes, and keeps an activity note', async () => {
    const logo = png(3);
    const chart = png(7);
    await writeFile(join(dataDir, 'logo.png'), logo);
    await writeFile(join(dataDir, 'chart.png'), chart);
    const subject = `Quarterly figures ${randomUUID().slice(0, 6)}`;
    const html = `<p>Hello,</p><img src="${join(dataDir, 'logo.png')}" alt="logo"><p>Figures:</p><img src="${pathToFileURL(join(dataDir, 'chart.png')).href}">`;
    // Saved here with its password, not kept from the test before: the runtime is shared, the order is not.
    expect(await runtime.handlers.saveSendDirect({ settings: settingsFor({}), password: { kind: 'set', value: sender.password } })).toMatchObject({ ok: true });
    const sent = await runtime.handlers.sendTestEmail({ to: [recipient.email], subject, html, attachments: [], activityNote: true });
    expect(sent).toMatchObject({ ok: true, value: { inlineImages: 2, activityNoteId: expect.any(Number) } });

    const message = await waitForMessage(recipient, (m) => m.parsed.subject === subject);
    const inline = message.parsed.attachments.filter((a) => a.contentDisposition === 'inline');
    expect(inline.map((a) => a.content.equals(logo) || a.content.equals(chart))).toEqual([true, true]);
    expect(new Set(inline.map((a) => a.content.toString('hex'))).size).toBe(2);
    for (const part of inline) expect(String(message.parsed.html)).toContain(`cid:${part.cid}`);
    expect(String(message.parsed.html)).not.toContain(dataDir);
    expect(message.parsed.from?.value[0]).toMatchObject({ name: 'Sales Team', address: sender.email });

    const records = await runtime.services.records();
    const note = (await records.activityNotes()).find((kept) => kept.subject === subject);
    expect(note).toMatchObject({ type: 'Email Sent', subject, from: sender.email, to: [recipient.email] });
    expect(Buffer.from(note?.rawMessage ?? []).toString('latin1')).toContain(`Subject: ${subject}`);
  });

  it('Office 365-style OAuth against smtp-server (XOAUTH2): sign in, Test Connection, send', async () => {
    const signedIn = await runtime.handlers.signIn({ mailbox: 'send', provider: { kind: 'office365' }, via: 'popup' } as never);
    expect(signedIn).toMatchObject({ ok: true, value: { status: 'signed-in', username: sender.email } });
    const oauth = settingsFor({ authMethod: 'oauth-office365', port: testbed().smtp.ports.starttls });
    expect(await runtime.handlers.testSendDirect({ settings: oauth, password: { kind: 'keep' } })).toMatchObject({ ok: true });
    await runtime.handlers.saveSendDirect({ settings: oauth, password: { kind: 'keep' } });
    const subject = `OAuth ${randomUUID().slice(0, 6)}`;
    expect(await runtime.handlers.sendTestEmail({ to: [recipient.email], subject, html: '<p>Sent with XOAUTH2</p>', attachments: [], activityNote: false })).toMatchObject({
      ok: true,
      value: { activityNoteId: null },
    });
    await waitForMessage(recipient, (m) => m.parsed.subject === subject);

    // A server that refuses the first token (as for a token it considers expired) gets a fresh one, once.
    const picky = await rejectFirstTokenServer();
    const refreshesBefore = (await idpControl.grantLog({ user: sender.email, grantType: 'refresh_token' })).filter((g) => g.status === 200).length;
    expect(await runtime.handlers.testSendDirect({ settings: { ...oauth, port: picky.port }, password: { kind: 'keep' } })).toMatchObject({ ok: true });
    expect(picky.tokens).toHaveLength(2);
    expect(picky.tokens[1]).not.toBe(picky.tokens[0]);
    expect((await idpControl.grantLog({ user: sender.email, grantType: 'refresh_token' })).filter((g) => g.status === 200).length).toBe(refreshesBefore + 1);
    await picky.close();

    // The whole grant revoked: the server refuses, the fix says to sign in again, and the account shows it.
    await idpControl.revokeUser(sender.email);
    expect(await runtime.handlers.testSendDirect({ settings: oauth, password: { kind: 'keep' } })).toMatchObject({ ok: false, error: { code: 'GRANT_EXPIRED' } });
    expect(await runtime.handlers.getAccountState({ mailbox: 'send' })).toMatchObject({ ok: true, value: { status: 'needs-reauth' } });
    await runtime.handlers.resetAccount({ mailbox: 'send' });
  });

  describe('failures, each with its fix', () => {
    const test = (settings: SendDirectSettings, password = 'wrong-password') =>
      runtime.handlers.testSendDirect({ settings, password: { kind: 'set', value: password } });

    it('a wrong password', async () => {
      expect(await test(settingsFor({}))).toMatchObject({ ok: false, error: { code: 'SMTP_AUTH_FAILED', fix: expect.stringMatching(/User Name/) } });
    });

    it('a closed port', async () => {
      const port = await closedPort();
      expect(await test(settingsFor({ port }))).toMatchObject({ ok: false, error: { code: 'CONNECTION_REFUSED' } });
    });

    it('an unknown host', async () => {
      expect(await test(settingsFor({ serverName: 'no-such-host.invalid' }))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_HOST' } });
    });

    it('SSL/TLS on the STARTTLS port, and STARTTLS on the implicit-TLS port', async () => {
      expect(await test(settingsFor({ security: 'tls' }), sender.password)).toMatchObject({ ok: false, error: { code: 'TLS_ON_PLAIN_PORT' } });
      // How long the verdict takes is measured by `npm run bench`, not asserted here.
      expect(await test(settingsFor({ port: testbed().dovecot.ports.submissions, security: 'starttls' }), sender.password)).toMatchObject({
        ok: false,
        error: { code: 'PLAIN_ON_TLS_PORT', fix: expect.stringContaining('Port 465 expects SSL on; 587 uses STARTTLS') },
      });
    });

    it('Office 365 replies: 5.7.139 (SMTP AUTH disabled for the tenant) and 5.7.3', async () => {
      for (const [reply, code] of [
        ['5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', 'SMTP_AUTH_DISABLED_FOR_TENANT'],
        ['5.7.3 Authentication unsuccessful', 'SMTP_AUTH_BLOCKED'],
      ] as const) {
        const server = await office365AuthReply(reply);
        expect(await test(settingsFor({ port: server.port, security: 'starttls' }), 'pw')).toMatchObject({ ok: false, error: { code } });
        await server.close();
      }
    });

    it('an untrusted certificate: refused with its fingerprint; trusted on request; pinned afterwards', async () => {
      const server = await selfSignedSmtpServer(dataDir);
      const settings = settingsFor({ port: server.port, security: 'tls' });
      const refused = await test(settings, 'any');
      expect(refused).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_CERTIFICATE', certificate: { fingerprint256: server.fingerprint } } });
      expect(server.logins).toBe(0); // the password never left
      expect(await runtime.handlers.trustCertificate({ settings, fingerprint256: server.fingerprint })).toEqual({ ok: true, value: undefined });
      expect(await test(settings, 'any')).toMatchObject({ ok: true });
      const stored = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
      expect(Object.values(stored.trustedCertificates)).toEqual([expect.objectContaining({ fingerprint256: server.fingerprint })]);
      await server.close();

      // The same server with another certificate: refused, and said to have changed, with the new fingerprint.
      const replaced = await selfSignedSmtpServer(dataDir, server.port);
      expect(replaced.fingerprint).not.toBe(server.fingerprint);
      expect(await test(settings, 'any')).toMatchObject({ ok: false, error: { code: 'CERTIFICATE_CHANGED', certificate: { fingerprint256: replaced.fingerprint } } });
      expect(replaced.logins).toBe(0);
      await replaced.close();
    });
  });
});
