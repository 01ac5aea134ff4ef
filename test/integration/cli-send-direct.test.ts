import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordsStore } from '../../src/main/records/records-store';
import { addUser, readMailbox, testbed, waitForMessage, type TestUser } from '../testbed/client';

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

/** Runs the CLI, killing it if it has not exited after `limitMs`: a command that hangs is a failure. */
function cliWithin(limitMs: number, args: string[]): Promise<{ code: number; stdout: string; exitedInTime: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let exitedInTime = true;
    const timer = setTimeout(() => {
      exitedInTime = false;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, exitedInTime });
    });
  });
}

describe('mail-settings send: local images that are not images of this computer (issue 9)', () => {
  let dataDir: string;
  let sender: TestUser;
  let recipient: TestUser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-images-'));
    sender = await addUser(`cli-images-${randomUUID().slice(0, 8)}@example.test`);
    recipient = await addUser(`cli-images-to-${randomUUID().slice(0, 8)}@example.test`);
    const configured = await cli(
      ['configure', 'send', '--host', '127.0.0.1', '--port', String(testbed().dovecot.ports.submission), '--security', 'starttls', '--user', sender.email,
        '--password-stdin', '--sender-name', 'CLI Sales', '--sender-address', sender.email, '--json', '--data-dir', dataDir],
      `${sender.password}\n`,
    );
    expect(configured.code).toBe(0);
    await new Promise<void>((resolve, reject) => execFile('mkfifo', [join(dataDir, 'x.png')], (error) => (error ? reject(error) : resolve())));
    // 60 MB without writing 60 MB: a PNG signature, then a hole.
    await writeFile(join(dataDir, 'big.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    await truncate(join(dataDir, 'big.png'), 60 * 1024 * 1024);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const refusedSends: string[] = [];
  it.each([
    ['/etc/passwd', 'The file “/etc/passwd” is not an image, so the message was not sent.'],
    ['x.png', 'is not a file (it is a folder, a pipe or a device), so the message was not sent.'],
    ['big.png', 'is larger than 10 MB, so the message was not sent.'],
  ])('<img src="%s">: exit 1 at once, naming the file, and nothing delivered', async (image, says) => {
    const path = image.startsWith('/') ? image : join(dataDir, image);
    const htmlFile = join(dataDir, `${image.replaceAll('/', '_')}.html`);
    await writeFile(htmlFile, `<p>Hello</p><img src="${path}">`);
    const subject = `Refused ${randomUUID().slice(0, 6)}`;
    refusedSends.push(subject);
    // 10 s: how long the product may take to say no (a FIFO must not block it, a large file not be read).
    const sent = await cliWithin(10_000, ['send', '--to', recipient.email, '--subject', subject, '--html-file', htmlFile, '--json', '--data-dir', dataDir]);
    expect(sent.exitedInTime).toBe(true);
    expect(sent.code).toBe(1);
    const { error } = JSON.parse(sent.stdout) as { error: { code: string; message: string; fix: string } };
    expect(error.message).toContain(`“${path}”`);
    expect(error.message).toContain(says);
    expect(error.fix).toEqual(expect.any(String));
  });

  it('delivered none of the refused messages (a later message arrives, they never do)', async () => {
    await writeFile(join(dataDir, 'ok.html'), '<p>Fine</p>');
    const marker = `Delivered ${randomUUID().slice(0, 6)}`;
    expect((await cli(['send', '--to', recipient.email, '--subject', marker, '--html-file', join(dataDir, 'ok.html'), '--json', '--data-dir', dataDir])).code).toBe(0);
    await waitForMessage(recipient, (m) => m.parsed.subject === marker);
    const subjects = (await readMailbox(recipient)).map((m) => m.parsed.subject);
    expect(refusedSends).toHaveLength(3);
    for (const subject of refusedSends) expect(subjects).not.toContain(subject);
  });

  it('--attach and --html-file take only regular files: a FIFO fails at once', async () => {
    await writeFile(join(dataDir, 'plain.html'), '<p>Hi</p>');
    const attached = await cliWithin(10_000, ['send', '--to', recipient.email, '--subject', 'never', '--html-file', join(dataDir, 'plain.html'), '--attach', join(dataDir, 'x.png'), '--json', '--data-dir', dataDir]);
    expect(attached).toMatchObject({ exitedInTime: true, code: 1 });
    expect(JSON.parse(attached.stdout).error.message).toContain(`“${join(dataDir, 'x.png')}” is not a file`);
    const html = await cliWithin(10_000, ['send', '--to', recipient.email, '--subject', 'never', '--html-file', join(dataDir, 'x.png'), '--json', '--data-dir', dataDir]);
    expect(html).toMatchObject({ exitedInTime: true, code: 1 });
    expect(JSON.parse(html.stdout).error.message).toContain(`“${join(dataDir, 'x.png')}” is not a file`);
  });
});
