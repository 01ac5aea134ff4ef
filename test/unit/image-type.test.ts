import { describe, expect, it } from 'vitest';
import { sniffImageType } from '../../src/main/files/image-type';
import { solidPng } from '../support/fake-mail-servers';

const bytes = (...values: number[]) => Buffer.from(values);
const text = (value: string) => Buffer.from(value, 'utf8');

/** A real 1×1 BMP: BITMAPFILEHEADER (14 bytes) and BITMAPINFOHEADER (40 bytes), then one pixel. */
function bmp(): Buffer {
  const file = Buffer.alloc(58);
  file.write('BM', 0, 'ascii');
  file.writeUInt32LE(58, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(1, 18);
  file.writeInt32LE(1, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  return file;
}

describe('what kind of image some bytes are', () => {
  it('recognises PNG, JPEG, GIF, WebP and BMP by their signatures', () => {
    expect(sniffImageType(solidPng(2, 2, [1, 2, 3]))).toBe('image/png');
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16))).toBe('image/jpeg');
    expect(sniffImageType(text('GIF89a\x01\x00\x01\x00'))).toBe('image/gif');
    expect(sniffImageType(text('GIF87a\x01\x00'))).toBe('image/gif');
    expect(sniffImageType(Buffer.concat([text('RIFF'), bytes(30, 0, 0, 0), text('WEBPVP8 ')]))).toBe('image/webp');
    expect(sniffImageType(bmp())).toBe('image/bmp');
  });

  it('recognises SVG text after an XML declaration, comments and a doctype', () => {
    expect(sniffImageType(text('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    expect(sniffImageType(text('\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- Logo -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg>'))).toBe(
      'image/svg+xml',
    );
    expect(sniffImageType(text('<!DOCTYPE svg [ <!ENTITY x "y"> ]><svg\n>'))).toBe('image/svg+xml');
  });

  it('refuses text and keys whatever their name, text that merely mentions <svg, and SVG that is not UTF-8', () => {
    expect(sniffImageType(text('root:x:0:0:root:/root:/bin/bash\n'))).toBeNull();
    expect(sniffImageType(text('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n'))).toBeNull();
    expect(sniffImageType(text('<html><body><svg></svg></body></html>'))).toBeNull();
    expect(sniffImageType(text('hello <svg>'))).toBeNull();
    expect(sniffImageType(text('<svgx>'))).toBeNull();
    expect(sniffImageType(Buffer.concat([text('<svg>'), bytes(0xff, 0xfe)]))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });

  it('does not take text starting with "BM", or truncated signatures, for images', () => {
    expect(sniffImageType(text('BMW service report, 2026, page one of three, for the fleet'))).toBeNull();
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull();
    expect(sniffImageType(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffImageType(text('RIFF\x00\x00\x00\x00WAVEfmt '))).toBeNull();
  });
});
