import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordsStore } from '../../src/main/records/records-store';
import { addUser, testbed, waitForMessage, type TestUser } from '../testbed/client';

const bin = join(import.meta.dirname, '../../bin/mail-settings.js');

function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('mail-settings configure / test-connection / send (the built CLI, Dovecot)', () => {
  let dataDir: string;
  let sender: TestUser;
  let recipient: TestUser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-send-'));
    sender = await addUser(`cli-sender-${randomUUID().slice(0, 8)}@example.test`);
    recipient = await addUser(`cli-recipient-${randomUUID().slice(0, 8)}@example.test`);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const configure = (password: string) =>
    cli(
      ['configure', 'send', '--host', '127.0.0.1', '--port', String(testbed().dovecot.ports.submission), '--security', 'starttls', '--user', sender.email,
        '--password-stdin', '--sender-name', 'CLI Sales', '--sender-address', sender.email, '--json', '--data-dir', dataDir],
      `${password}\n`,
    );

  it('configures Send Direct with the password from stdin, and Test Connection succeeds', async () => {
    const configured = await configure(sender.password);
    expect(configured.code).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ ok: true, sendDirect: { passwordStored: true } });
    expect(configured.stdout).not.toContain(sender.password);
    const tested = await cli(['test-connection', 'send', '--json', '--data-dir', dataDir]);
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout)).toEqual({ ok: true, message: 'We were able to connect to your mail server and sign in.' });
  });

  it('sends HTML with a local image inline and keeps an activity note', async () => {
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 42, 43, 44]);
    await writeFile(join(dataDir, 'pic.png'), image);
    await writeFile(join(dataDir, 'mail.html'), `<p>Hi</p><img src="${join(dataDir, 'pic.png')}">`);
    const subject = `CLI ${randomUUID().slice(0, 6)}`;
    const sent = await cli(['send', '--to', recipient.email, '--subject', subject, '--html-file', join(dataDir, 'mail.html'), '--activity-note', '--json', '--data-dir', dataDir]);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ ok: true, inlineImages: 1, activityNoteId: expect.any(Number) });
    const message = await waitForMessage(recipient, (m) => m.parsed.subject === subject);
    expect(message.parsed.attachments[0]?.content.equals(image)).toBe(true);
    const records = await openRecordsStore(dataDir);
    expect(records.activityNotes()[0]).toMatchObject({ type: 'Email Sent', subject });
    records.close();
  });

  it('a wrong password: exit 1 with the error and its fix', async () => {
    await configure('not-the-password');
    const tested = await cli(['test-connection', 'send', '--json', '--data-dir', dataDir]);
    expect(tested.code).toBe(1);
    expect(JSON.parse(tested.stdout)).toMatchObject({ ok: false, error: { code: 'SMTP_AUTH_FAILED', message: expect.any(String), fix: expect.any(String) } });
  });

  it('explains a bad field by its label', async () => {
    const bad = await cli(['configure', 'send', '--host', 'http://smtp', '--json', '--data-dir', dataDir]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/^Server Name \(or IP address\): /);
  });
});
