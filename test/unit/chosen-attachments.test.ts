import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChosenAttachments } from '../../src/main/files/chosen-attachments';
import type { FilePicker } from '../../src/main/files/file-picker';

/** The user's choice in the open-file dialog, scripted: each call answers the next list. */
function pickerChoosing(...choices: string[][]): FilePicker {
  return { chooseFiles: async () => choices.shift() ?? [] };
}

describe('"Attach files…": files chosen in main, handles for the renderer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-chosen-'));
    await writeFile(join(dir, 'offer.pdf'), '%PDF-1.7\n');
    await writeFile(join(dir, 'notes.txt'), 'notes');
    await writeFile(join(dir, 'huge.iso'), '');
    await truncate(join(dir, 'huge.iso'), 11 * 1024 * 1024);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('answers a random 128-bit handle, the name and the size per file, and never the path', async () => {
    const chosen = createChosenAttachments({ filePicker: pickerChoosing([join(dir, 'offer.pdf'), join(dir, 'notes.txt')]), platform: 'posix' });
    const result = await chosen.choose();
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.map(({ name, size }) => [name, size])).toEqual([['offer.pdf', 9], ['notes.txt', 5]]);
    for (const { handle } of result.value) expect(handle).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(result.value)).not.toContain(dir);
    expect(chosen.resolve(result.value.map((file) => file.handle))).toEqual({
      ok: true,
      value: [
        { path: join(dir, 'offer.pdf'), name: 'offer.pdf' },
        { path: join(dir, 'notes.txt'), name: 'notes.txt' },
      ],
    });
  });

  it('keeps the handle of a file chosen again, and answers nothing when the dialog is cancelled', async () => {
    const chosen = createChosenAttachments({ filePicker: pickerChoosing([join(dir, 'offer.pdf')], [join(dir, 'offer.pdf')], []), platform: 'posix' });
    const first = await chosen.choose();
    const second = await chosen.choose();
    expect(first.ok && second.ok && first.value[0]?.handle === second.value[0]?.handle).toBe(true);
    expect(await chosen.choose()).toEqual({ ok: true, value: [] });
  });

  it('refuses a handle it never gave out', async () => {
    const chosen = createChosenAttachments({ filePicker: pickerChoosing(), platform: 'posix' });
    expect(chosen.resolve(['0123456789abcdef0123456789abcdef'])).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a chosen file over 10 MB, a folder, or a network path, naming it', async () => {
    const chosen = createChosenAttachments({ filePicker: pickerChoosing([join(dir, 'huge.iso')], [dir], ['//fileserver/share/a.pdf']), platform: 'posix' });
    expect(await chosen.choose()).toMatchObject({ ok: false, error: { code: 'ATTACHMENT_REFUSED', message: `The file “${join(dir, 'huge.iso')}” is larger than 10 MB, so it was not attached.` } });
    expect(await chosen.choose()).toMatchObject({ ok: false, error: { code: 'ATTACHMENT_REFUSED', message: `“${dir}” is not a file (it is a folder, a pipe or a device), so it was not attached.` } });
    expect(await chosen.choose()).toMatchObject({ ok: false, error: { message: 'The file “//fileserver/share/a.pdf” is on another computer (a network path), so it was not attached.' } });
  });

  it('without a file picker (the CLI), says where files can be attached', async () => {
    const chosen = createChosenAttachments({ filePicker: null, platform: 'posix' });
    expect(await chosen.choose()).toMatchObject({ ok: false, error: { fix: 'With the command line, use --attach.' } });
  });
});
