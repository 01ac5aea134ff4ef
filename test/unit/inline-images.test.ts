import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttachmentError, embedLocalImages } from '../../src/main/smtp/inline-images';

describe('local images become inline attachments', () => {
  let dir: string;
  const logo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  const photo = Buffer.from([0xff, 0xd8, 0xff, 9, 8, 7]);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-images-'));
    await writeFile(join(dir, 'logo.png'), logo);
    await writeFile(join(dir, 'team photo.jpg'), photo);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('embeds file paths and file: URLs once each, with cid: references, and leaves web images alone', async () => {
    const html = `<p><img src="${join(dir, 'logo.png')}" alt="Logo"> <img alt=x src='${pathToFileURL(join(dir, 'team photo.jpg')).href}'>
      <img src="${join(dir, 'logo.png')}"> <img src="https://example.com/a.png"> <img src="data:image/png;base64,AAAA"></p>`;
    const { html: out, images } = await embedLocalImages(html);
    expect(images.map((i) => [i.filename, i.contentType])).toEqual([['logo.png', 'image/png'], ['team photo.jpg', 'image/jpeg']]);
    expect(images[0]?.content.equals(logo)).toBe(true);
    expect(images[1]?.content.equals(photo)).toBe(true);
    expect(out.match(/cid:/g)).toHaveLength(3);
    expect(out).toContain(`src="cid:${images[0]?.cid}"`);
    expect(out).toContain(`src="cid:${images[1]?.cid}"`);
    expect(out).toContain('src="https://example.com/a.png"');
    expect(out).toContain('src="data:image/png;base64,AAAA"');
    expect(out).not.toContain(dir);
  });

  it('refuses to send when a referenced image cannot be read, naming the file', async () => {
    const missing = join(dir, 'missing.png');
    const error = await embedLocalImages(`<img src="${missing}">`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttachmentError);
    expect((error as AttachmentError).appError.message).toContain(missing);
  });
});
