import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageFileReader } from '../../src/main/files/message-file-reader';
import { FileRefusedError } from '../../src/main/files/refused-file';
import type { Runtime } from '../../src/main/node-runtime';
import { embedLocalImages } from '../../src/main/send-direct/inline-images';
import { solidPng } from '../support/fake-mail-servers';
import { startLocalRuntime } from '../support/local-runtime';
import { addUser, readMailbox, testbed, waitForMessage, type TestUser } from '../testbed/client';

/**
 * Files an `<img>` or an attachment may name that are not images of this computer: a FIFO (which blocks a
 * plain open for ever), /dev/zero (endless), a folder, a 60 MB file, /etc/passwd, text named x.png. Each is
 * refused at once, by name, for its own reason; the real file system, the real services.
 */

const run = promisify(execFile);
const megabyte = 1024 * 1024;
const png = solidPng(4, 4, [200, 30, 30]);

async function refusalOf(html: string): Promise<{ code: string; message: string; fix?: string }> {
  const outcome = await embedLocalImages(html, { files: createMessageFileReader(), platform: 'posix' }).catch((error: unknown) => error);
  if (!(outcome instanceof FileRefusedError)) throw new Error(`expected a refusal, got ${JSON.stringify(outcome).slice(0, 200)}`);
  return outcome.appError;
}

/** A PNG of `size` bytes: the signature, then a hole (a sparse file: no disk space, no time to write). */
async function sparsePng(path: string, size: number): Promise<void> {
  await writeFile(path, png);
  await truncate(path, size);
}

describe('the files a message may embed or attach (real file system)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-files-'));
    await run('mkfifo', [join(dir, 'x.png')]);
    await writeFile(join(dir, 'logo.png'), png);
    await symlink(join(dir, 'logo.png'), join(dir, 'link-to-logo.png'));
    await symlink(join(dir, 'x.png'), join(dir, 'link-to-fifo.png'));
    await mkdir(join(dir, 'folder.png'));
    await sparsePng(join(dir, 'big.png'), 60 * megabyte);
    await writeFile(join(dir, 'text.png'), 'This is not a picture.\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a FIFO named x.png at once instead of waiting for a writer', async () => {
    expect(await refusalOf(`<img src="${join(dir, 'x.png')}">`)).toEqual({
      code: 'ATTACHMENT_REFUSED',
      message: `“${join(dir, 'x.png')}” is not a file (it is a folder, a pipe or a device), so the message was not sent.`,
      fix: 'Choose a file, or remove this one from the message.',
    });
  });

  it('follows a symbolic link to an image, but not one to a FIFO', async () => {
    const { images } = await embedLocalImages(`<img src="${join(dir, 'link-to-logo.png')}">`, { files: createMessageFileReader(), platform: 'posix' });
    expect(images[0]?.content.equals(png)).toBe(true);
    expect((await refusalOf(`<img src="${join(dir, 'link-to-fifo.png')}">`)).message).toContain('is not a file');
  });

  it('refuses /dev/zero and a folder as not files', async () => {
    expect((await refusalOf('<img src="/dev/zero">')).message).toBe('“/dev/zero” is not a file (it is a folder, a pipe or a device), so the message was not sent.');
    expect((await refusalOf(`<img src="file://${join(dir, 'folder.png')}">`)).message).toContain(`“${join(dir, 'folder.png')}” is not a file`);
  });

  it('refuses a 60 MB file named big.png without reading it', async () => {
    expect(await refusalOf(`<img src="${join(dir, 'big.png')}">`)).toMatchObject({
      code: 'ATTACHMENT_REFUSED',
      message: `The file “${join(dir, 'big.png')}” is larger than 10 MB, so the message was not sent.`,
    });
  });

  it('refuses /etc/passwd and a text file named x.png as not images', async () => {
    expect(await refusalOf('<p>Hi</p><img src="/etc/passwd">')).toMatchObject({ code: 'ATTACHMENT_REFUSED', message: 'The file “/etc/passwd” is not an image, so the message was not sent.' });
    expect((await refusalOf(`<img srcset="${join(dir, 'logo.png')} 1x, ${join(dir, 'text.png')} 2x">`)).message).toBe(`The file “${join(dir, 'text.png')}” is not an image, so the message was not sent.`);
  });

  it('refuses the image that takes the message over 25 MB', async () => {
    const parts = ['a.png', 'b.png', 'c.png'].map((name) => join(dir, name));
    for (const part of parts) await sparsePng(part, 9 * megabyte);
    const refused = await refusalOf(parts.map((part) => `<img src="${part}">`).join(''));
    expect(refused).toMatchObject({ code: 'MESSAGE_TOO_LARGE', message: `With the file “${parts[2]}” the message would be larger than 25 MB, so the message was not sent.` });
  });
});

describe('attachments chosen in main, and sending with them (Dovecot)', () => {
  let dir: string;
  let dataDir: string;
  let runtime: Runtime;
  let sender: TestUser;
  let recipient: TestUser;
  /** What the user picks in the next open-file dialog. */
  let nextChoice: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-attach-'));
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-attach-data-'));
    sender = await addUser(`attach-sender-${randomUUID().slice(0, 8)}@example.test`);
    recipient = await addUser(`attach-recipient-${randomUUID().slice(0, 8)}@example.test`);
    runtime = await startLocalRuntime(dataDir, { filePicker: { chooseFiles: async () => nextChoice } });
    const saved = await runtime.handlers.saveSendDirect({
      settings: { serverName: '127.0.0.1', senderName: 'Sales', senderAddress: sender.email, userName: sender.email, authMethod: 'password', port: testbed().dovecot.ports.submission, security: 'starttls', allowInsecureAuth: false },
      password: { kind: 'set', value: sender.password },
    });
    if (!saved.ok) throw new Error(saved.error.message);
  });
  afterAll(async () => {
    await runtime.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  const choose = async (...paths: string[]) => {
    nextChoice = paths;
    return runtime.dispatch('chooseAttachments', {});
  };

  it('sends the file behind a chosen handle, under its own name', async () => {
    await writeFile(join(dir, 'offer.pdf'), '%PDF-1.7 offer\n');
    const chosen = await choose(join(dir, 'offer.pdf'));
    if (!chosen.ok) throw new Error(chosen.error.message);
    const [file] = chosen.value as { handle: string; name: string; size: number }[];
    expect(file).toMatchObject({ name: 'offer.pdf', size: 15 });
    const subject = `Offer ${randomUUID().slice(0, 6)}`;
    expect(await runtime.dispatch('sendTestEmail', { to: [recipient.email], subject, html: '<p>Our offer</p>', attachments: [file?.handle] })).toMatchObject({ ok: true });
    const message = await waitForMessage(recipient, (m) => m.parsed.subject === subject);
    expect(message.parsed.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['offer.pdf', '%PDF-1.7 offer\n']]);
  });

  it('refuses a FIFO in the dialog, a path instead of a handle, and a handle main never gave out', async () => {
    await run('mkfifo', [join(dir, 'pipe.pdf')]);
    expect(await choose(join(dir, 'pipe.pdf'))).toMatchObject({ ok: false, error: { code: 'ATTACHMENT_REFUSED', message: expect.stringContaining('pipe.pdf') } });
    const email = { to: [recipient.email], subject: 'never', html: '<p>x</p>' };
    expect(await runtime.dispatch('sendTestEmail', { ...email, attachments: ['/etc/passwd'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await runtime.dispatch('sendTestEmail', { ...email, attachments: ['0123456789abcdef0123456789abcdef'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('checks a chosen file again when sending: replaced by a FIFO meanwhile, it is refused and nothing is sent', async () => {
    await writeFile(join(dir, 'later.pdf'), 'fine for now');
    const chosen = await choose(join(dir, 'later.pdf'));
    if (!chosen.ok) throw new Error(chosen.error.message);
    await unlink(join(dir, 'later.pdf'));
    await run('mkfifo', [join(dir, 'later.pdf')]);
    const subject = `Swapped ${randomUUID().slice(0, 6)}`;
    const handles = (chosen.value as { handle: string }[]).map((file) => file.handle);
    expect(await runtime.dispatch('sendTestEmail', { to: [recipient.email], subject, html: '<p>x</p>', attachments: handles })).toMatchObject({
      ok: false,
      error: { code: 'ATTACHMENT_REFUSED', message: `“${join(dir, 'later.pdf')}” is not a file (it is a folder, a pipe or a device), so the message was not sent.` },
    });
    // A later message arrives; the refused one never does.
    const marker = `After ${randomUUID().slice(0, 6)}`;
    expect(await runtime.dispatch('sendTestEmail', { to: [recipient.email], subject: marker, html: '<p>y</p>' })).toMatchObject({ ok: true });
    await waitForMessage(recipient, (m) => m.parsed.subject === marker);
    expect((await readMailbox(recipient)).some((m) => m.parsed.subject === subject)).toBe(false);
  });
});
