import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageFileReader } from '../../src/main/files/message-file-reader';
import { FileRefusedError } from '../../src/main/files/refused-file';
import { embedLocalImages } from '../../src/main/send-direct/inline-images';

const embed = (html: string) => embedLocalImages(html, { files: createMessageFileReader(), platform: 'posix' });

async function refusal(html: string): Promise<FileRefusedError> {
  const error = await embed(html).catch((caught: unknown) => caught);
  if (!(error instanceof FileRefusedError)) throw new Error(`expected a FileRefusedError, got ${String(error)}`);
  return error;
}

describe('local images become inline attachments', () => {
  let dir: string;
  const logo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const photo = Buffer.from([0xff, 0xd8, 0xff, 9, 8, 7]);
  const icon = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-images-'));
    await writeFile(join(dir, 'logo.png'), logo);
    await writeFile(join(dir, 'team photo.jpg'), photo);
    await writeFile(join(dir, 'icon.svg'), icon);
    // A PNG whose name says JPEG: the type comes from the bytes.
    await writeFile(join(dir, 'misnamed.jpg'), logo);
    await writeFile(join(dir, 'x.png'), 'just some text\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('embeds file paths and file: URLs once each, with cid: references, and leaves web images alone', async () => {
    const html = `<p><img src="${join(dir, 'logo.png')}" alt="Logo"> <IMG alt=x SRC='${pathToFileURL(join(dir, 'team photo.jpg')).href}'>
      <img src="${join(dir, 'logo.png')}"> <img src="https://example.com/a.png"> <img src="data:image/png;base64,AAAA"> <img src="cid:kept@x"></p>`;
    const { html: out, images } = await embed(html);
    expect(images.map((i) => [i.filename, i.contentType])).toEqual([['logo.png', 'image/png'], ['team photo.jpg', 'image/jpeg']]);
    expect(images[0]?.content.equals(logo)).toBe(true);
    expect(images[1]?.content.equals(photo)).toBe(true);
    expect(out.match(/cid:/g)).toHaveLength(4);
    expect(out).toContain(`<img src="cid:${images[0]?.cid}" alt="Logo">`);
    expect(out).toContain(`<IMG alt=x SRC="cid:${images[1]?.cid}">`);
    expect(out).toContain('src="https://example.com/a.png"');
    expect(out).toContain('src="data:image/png;base64,AAAA"');
    expect(out).not.toContain(dir);
  });

  it('embeds each local candidate of a srcset, keeping its descriptor and the web ones', async () => {
    const html = `<img srcset="${join(dir, 'logo.png')} 1x, https://example.com/b.png 2x, ${pathToFileURL(join(dir, 'icon.svg')).href} 3x" src="${join(dir, 'logo.png')}">`;
    const { html: out, images } = await embed(html);
    expect(images.map((i) => i.contentType)).toEqual(['image/png', 'image/svg+xml']);
    expect(out).toBe(`<img srcset="cid:${images[0]?.cid} 1x, https://example.com/b.png 2x, cid:${images[1]?.cid} 3x" src="cid:${images[0]?.cid}">`);
  });

  it('takes the type from the bytes, not the name', async () => {
    const { images } = await embed(`<img src="${join(dir, 'misnamed.jpg')}">`);
    expect(images[0]).toMatchObject({ filename: 'misnamed.jpg', contentType: 'image/png' });
  });

  it('keeps HTML without local images byte for byte', async () => {
    const html = '<!doctype html>\r\n<P CLASS=a>Hi &amp; bye<img src="https://example.com/a.png" ></P>';
    expect(await embed(html)).toEqual({ html, images: [] });
  });

  it('refuses a missing image, naming the file', async () => {
    const missing = join(dir, 'missing.png');
    const error = await refusal(`<img src="${missing}">`);
    expect(error.appError).toMatchObject({ code: 'ATTACHMENT_UNREADABLE', message: `The file “${missing}” could not be found, so the message was not sent.` });
  });

  it('refuses a file that is not an image, whatever its name', async () => {
    const error = await refusal(`<img src="${join(dir, 'x.png')}">`);
    expect(error.appError).toMatchObject({ code: 'ATTACHMENT_REFUSED', message: `The file “${join(dir, 'x.png')}” is not an image, so the message was not sent.` });
  });

  it('refuses a network path before opening anything, in src or in srcset', async () => {
    for (const html of ['<img src="//fileserver/share/x.png">', '<img src="\\\\fileserver\\share\\x.png">', `<img srcset="${join(dir, 'logo.png')} 1x, file://fileserver/share/x.png 2x">`]) {
      const error = await refusal(html);
      expect(error.appError.code).toBe('ATTACHMENT_REFUSED');
      expect(error.appError.message).toMatch(/is on another computer \(a network path\), so the message was not sent\.$/);
    }
  });
});
