import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecordsStore } from '../../src/main/records/records-store';
import { runCli } from '../support/run-cli';
import { addUser, readMailbox, testbed, waitForMessage, type TestUser } from '../testbed/client';

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
    runCli(
      ['configure', 'send', '--host', '127.0.0.1', '--port', String(testbed().dovecot.ports.submission), '--security', 'starttls', '--user', sender.email,
        '--password-stdin', '--sender-name', 'CLI Sales', '--sender-address', sender.email, '--json', '--data-dir', dataDir],
      { stdin: `${password}\n` },
    );

  it('configures Send Direct with the password from stdin, and Test Connection succeeds', async () => {
    const configured = await configure(sender.password);
    expect(configured.code).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ ok: true, sendDirect: { passwordStored: true } });
    expect(configured.stdout).not.toContain(sender.password);
    const tested = await runCli(['test-connection', 'send', '--json', '--data-dir', dataDir]);
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout)).toEqual({ ok: true, message: 'We were able to connect to your mail server and sign in.' });
  });

  it('sends HTML with a local image inline and keeps an activity note', async () => {
    // Configured here, not by the test before: a wrong password saved by another test must not matter.
    expect((await configure(sender.password)).code).toBe(0);
    const image = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 42, 43, 44]);
    await writeFile(join(dataDir, 'pic.png'), image);
    await writeFile(join(dataDir, 'mail.html'), `<p>Hi</p><img src="${join(dataDir, 'pic.png')}">`);
    const subject = `CLI ${randomUUID().slice(0, 6)}`;
    const sent = await runCli(['send', '--to', recipient.email, '--subject', subject, '--html-file', join(dataDir, 'mail.html'), '--activity-note', '--json', '--data-dir', dataDir]);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ ok: true, inlineImages: 1, activityNoteId: expect.any(Number) });
    const message = await waitForMessage(recipient, (m) => m.parsed.subject === subject);
    expect(message.parsed.attachments[0]?.content.equals(image)).toBe(true);
    const records = await openRecordsStore(dataDir);
    expect((await records.activityNotes()).find((note) => note.subject === subject)).toMatchObject({ type: 'Email Sent', subject });
    await records.close();
  });

  it('a wrong password: exit 1 with the error and its fix', async () => {
    await configure('not-the-password');
    const tested = await runCli(['test-connection', 'send', '--json', '--data-dir', dataDir]);
    expect(tested.code).toBe(1);
    expect(JSON.parse(tested.stdout)).toMatchObject({ ok: false, error: { code: 'SMTP_AUTH_FAILED', message: expect.any(String), fix: expect.any(String) } });
  });

  it('explains a bad field by its label', async () => {
    const bad = await runCli(['configure', 'send', '--host', 'http://smtp', '--json', '--data-dir', dataDir]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.message).toMatch(/^Server Name \(or IP address\): /);
  });
});

describe('mail-settings send: local images that are not images of this computer (issue 9)', () => {
  let dataDir: string;
  let sender: TestUser;
  let recipient: TestUser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-images-'));
    sender = await addUser(`cli-images-${randomUUID().slice(0, 8)}@example.test`);
    recipient = await addUser(`cli-images-to-${randomUUID().slice(0, 8)}@example.test`);
    const configured = await runCli(
      ['configure', 'send', '--host', '127.0.0.1', '--port', String(testbed().dovecot.ports.submission), '--security', 'starttls', '--user', sender.email,
        '--password-stdin', '--sender-name', 'CLI Sales', '--sender-address', sender.email, '--json', '--data-dir', dataDir],
      { stdin: `${sender.password}\n` },
    );
    expect(configured.code).toBe(0);
    await new Promise<void>((resolve, reject) => execFile('mkfifo', [join(dataDir, 'x.png')], (error) => (error ? reject(error) : resolve())));
    // 60 MB without writing 60 MB: a PNG signature, then a hole.
    await writeFile(join(dataDir, 'big.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    await truncate(join(dataDir, 'big.png'), 60 * 1024 * 1024);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  /** Nothing with `subject` was delivered: a message sent after it arrives, and it never does. */
  const expectNeverDelivered = async (subject: string): Promise<void> => {
    await writeFile(join(dataDir, 'ok.html'), '<p>Fine</p>');
    const marker = `Delivered ${randomUUID().slice(0, 6)}`;
    expect((await runCli(['send', '--to', recipient.email, '--subject', marker, '--html-file', join(dataDir, 'ok.html'), '--json', '--data-dir', dataDir])).code).toBe(0);
    await waitForMessage(recipient, (m) => m.parsed.subject === marker);
    expect((await readMailbox(recipient)).map((m) => m.parsed.subject)).not.toContain(subject);
  };

  it.each([
    ['/etc/passwd', 'The file “/etc/passwd” is not an image, so the message was not sent.'],
    ['x.png', 'is not a file (it is a folder, a pipe or a device), so the message was not sent.'],
    ['big.png', 'is larger than 10 MB, so the message was not sent.'],
  ])('<img src="%s">: exit 1 at once, naming the file, and nothing delivered', async (image, says) => {
    const path = image.startsWith('/') ? image : join(dataDir, image);
    const htmlFile = join(dataDir, `${image.replaceAll('/', '_')}.html`);
    await writeFile(htmlFile, `<p>Hello</p><img src="${path}">`);
    const subject = `Refused ${randomUUID().slice(0, 6)}`;
    // 10 s: how long the product may take to say no (a FIFO must not block it, a large file not be read).
    const sent = await runCli(['send', '--to', recipient.email, '--subject', subject, '--html-file', htmlFile, '--json', '--data-dir', dataDir], { timeLimitMs: 10_000 });
    expect(sent.exitedInTime).toBe(true);
    expect(sent.code).toBe(1);
    const { error } = JSON.parse(sent.stdout) as { error: { code: string; message: string; fix: string } };
    expect(error.message).toContain(`“${path}”`);
    expect(error.message).toContain(says);
    expect(error.fix).toEqual(expect.any(String));
    await expectNeverDelivered(subject);
  });

  it('--attach and --html-file take only regular files: a FIFO fails at once', async () => {
    await writeFile(join(dataDir, 'plain.html'), '<p>Hi</p>');
    const attached = await runCli(['send', '--to', recipient.email, '--subject', 'never', '--html-file', join(dataDir, 'plain.html'), '--attach', join(dataDir, 'x.png'), '--json', '--data-dir', dataDir], { timeLimitMs: 10_000 });
    expect(attached).toMatchObject({ exitedInTime: true, code: 1 });
    expect(JSON.parse(attached.stdout).error.message).toContain(`“${join(dataDir, 'x.png')}” is not a file`);
    const html = await runCli(['send', '--to', recipient.email, '--subject', 'never', '--html-file', join(dataDir, 'x.png'), '--json', '--data-dir', dataDir], { timeLimitMs: 10_000 });
    expect(html).toMatchObject({ exitedInTime: true, code: 1 });
    expect(JSON.parse(html.stdout).error.message).toContain(`“${join(dataDir, 'x.png')}” is not a file`);
  });
});
